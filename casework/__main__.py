import sys

from casework.cli import main

sys.exit(main())
