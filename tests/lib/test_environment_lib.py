"""The venv made by scripts/setup_env.sh imports matplotlib cleanly beside Debian's copy."""
import subprocess
import sys


def test_pyplot_imports_without_the_axes3d_warning():
    # Debian's matplotlib 3.6 registers its own mpl_toolkits at start-up; setup_env.sh makes
    # the venv's mpl_toolkits win (docs/environment.md).  A warning here means it did not.
    run = subprocess.run([sys.executable, "-W", "error::UserWarning", "-c",
                          "import matplotlib.pyplot; from mpl_toolkits.mplot3d import Axes3D"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]
