import sys

from console.main import run

sys.exit(run(sys.argv[1:]))
