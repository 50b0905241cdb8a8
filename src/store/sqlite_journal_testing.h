// Test-only hooks into the SQLite journal, to drive its failure paths (a
// full database, a rollback that fails) deterministically. Production code
// must not include this header.
#ifndef BESCHEID_STORE_SQLITE_JOURNAL_TESTING_H_
#define BESCHEID_STORE_SQLITE_JOURNAL_TESTING_H_

#include <cstdint>

#include "core/status.h"
#include "store/journal.h"

namespace bescheid::store {

// Caps the database at `pages` pages (PRAGMA max_page_count) so that writes
// beyond it fail with SQLITE_FULL; a higher value lifts the cap again.
// SQLite never sets the cap below the current size, so 1 caps the database
// where it is now.
// `journal` must come from OpenSqliteJournal (kInternal otherwise).
Status SetMaxPageCountForTesting(Journal& journal, int64_t pages);

// From now on the journal's attempts to roll back a failed transaction fail
// as if SQLite refused them, leaving the transaction open. `journal` must
// come from OpenSqliteJournal (kInternal otherwise).
Status FailRollbacksForTesting(Journal& journal);

// How many statements the journal's statement cache has prepared since it
// was opened: the per-file statements are prepared once each, so this stays
// the same however many more files are recorded. `journal` must come from
// OpenSqliteJournal (kInternal otherwise).
Result<int64_t> PreparedStatementsForTesting(Journal& journal);

}  // namespace bescheid::store

#endif  // BESCHEID_STORE_SQLITE_JOURNAL_TESTING_H_
