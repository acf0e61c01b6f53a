from skintriage.classroom.run import main

raise SystemExit(main())
