"""The text CNN's Keras layers. Imported only inside `fit`, like
:mod:`skfeat._keras`, which trains and runs it."""

import keras

from skfeat._keras import LayerSeeds, dense_head


def build_text_network(
    length,
    n_outputs,
    *,
    output_activation,
    embedding,
    trainable_embedding,
    embedding_dropout,
    widths,
    filters,
    dropout,
    seed,
):
    """Kim (2014)'s sentence CNN: token ids → embedding → [dropout of whole
    embedding dimensions] → one Conv1D (ReLU) per width → max over time of each
    → concatenated → dropout → output layer.

    ``embedding`` is the initial (n_ids, n_dims) table; it is set after the
    layer is built rather than given as an initializer, whose configuration
    (saved in every pickle) would hold the whole table again as text.

    Each convolution looks its words up on its own. With one lookup feeding
    every convolution, TensorFlow adds their gradients into one dense tensor,
    and with oneDNN that sum made seeded fits differ from run to run in the
    last bits; per-convolution lookups hand the embedding sparse gradients
    that are concatenated, and fits repeat exactly.
    """
    seeds = LayerSeeds(seed)
    inputs = keras.Input(shape=(length,), dtype="int32")
    embed = keras.layers.Embedding(
        *embedding.shape, trainable=trainable_embedding, name="embedding"
    )
    embedded = [embed(inputs) for _ in widths]
    embed.embeddings.assign(embedding)
    if embedding_dropout:
        # one seed for every lookup's dropout: they drop the same dimensions
        dimension_seed = seeds()
        embedded = [
            keras.layers.SpatialDropout1D(embedding_dropout, seed=dimension_seed)(x)
            for x in embedded
        ]
    pooled = [
        keras.layers.GlobalMaxPooling1D()(
            keras.layers.Conv1D(
                filters,
                width,
                activation="relu",
                kernel_initializer=seeds.initializer(),
            )(x)
        )
        for width, x in zip(widths, embedded, strict=True)
    ]
    x = keras.layers.Concatenate()(pooled) if len(pooled) > 1 else pooled[0]
    return dense_head(inputs, x, n_outputs, (), dropout, seeds, output_activation)
