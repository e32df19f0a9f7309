from clientdesk.app import main

raise SystemExit(main())
