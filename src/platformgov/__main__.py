import sys

from platformgov.cli import main

sys.exit(main())
