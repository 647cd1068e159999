// planconv: set the process up, parse the command line and hand over to the command it names.
#include "batch/MemoryBudget.hpp"
#include "cli/Commands.hpp"

#include <cstdlib>

namespace {

// libzip turns every zip entry's DOS time into a time_t with mktime(). With TZ unset, glibc
// checks /etc/localtime again on each call (a stat, under a lock every thread shares), so a
// batch's workers queue on it: 49,000 stats and 40,000 futex waits for 1,000 returns. Naming
// the same zone file once makes later calls a string comparison; the zone is unchanged.
void pin_time_zone() {
    if (!std::getenv("TZ")) ::setenv("TZ", ":/etc/localtime", 0);
}

}  // namespace

int main(int argc, char** argv) {
    pin_time_zone();
    planconv::tune_allocator();
    return planconv::cli::run(argc, argv);
}
