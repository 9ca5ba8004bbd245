"""Site governance (安置区治理, issue 19): facilities and services (十有、十到位), the people who run
each site (一点一队、包保, community bodies, grid roles), its shop assets and greenhouses, with the
rules of the Yuncheng plan (seeds/002 §三(三)–(五)), the Guizhou opinions (seeds/003 items 6–9
and 24) and the Kashgar report (seeds/000 §二(四)) checked: `models`, `services` (every write
and its rules), `selectors` (the shortfall worklist, 安置区短板) and `indicators` (the
catalogue's figures)."""
