import sys

from skintriage.cli import main

sys.exit(main())
