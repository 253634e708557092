"""Import TensorFlow without its start-up lines, in processes that skfeat owns.

TensorFlow 2.21 writes informational lines to stderr while its shared libraries
load (oneDNN, CUDA drivers, absl's "All log messages before
absl::InitializeLog()", each twice: two of its libraries carry the logging code),
before any setting is read, so only the file descriptor can keep them off the
terminal. ``TF_CPP_MIN_LOG_LEVEL`` is read later and silences the rest, such as
``E0000 ... failed call to cuInit`` on a machine without a GPU.

Both change the whole process, so only the ``skfeat`` command and the
documentation build call this; the library leaves them to its user.
"""

import os
import re
import sys
import tempfile

# absl's informational lines ("I0000 00:00:... port.cc:153] ...") and its notice
# that logging is not initialised yet; warnings and errors still get through
_STARTUP_LINE = re.compile(
    r"^(I\d{4} \d\d:\d\d:\d+\.\d+ +\d+ \S+:\d+\] |"
    r"WARNING: All log messages before absl::InitializeLog\(\) is called)"
)


def import_tensorflow_quietly():
    """Import TensorFlow with its start-up lines removed from stderr.

    Lines written to stderr during the import that are not start-up lines are
    written again afterwards. Later TensorFlow log lines below FATAL are
    silenced unless ``TF_CPP_MIN_LOG_LEVEL`` is already set.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if "tensorflow" in sys.modules:
        return
    sys.stderr.flush()
    saved_stderr = os.dup(2)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            import tensorflow  # noqa: F401
        finally:
            sys.stderr.flush()
            os.dup2(saved_stderr, 2)
            os.close(saved_stderr)
            captured.seek(0)
            lines = captured.read().decode(errors="replace").splitlines(True)
            sys.stderr.writelines(
                line for line in lines if not _STARTUP_LINE.match(line)
            )
