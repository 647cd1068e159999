// planconv: parse the command line and hand over to the command it names.
#include "cli/Commands.hpp"

#include <malloc.h>

int main(int argc, char** argv) {
    // The allocator keeps up to 16 MiB free at the top of a heap instead of handing it back on
    // every free, and serves blocks below 4 MiB from the heap: otherwise each small workbook's
    // scratch blocks (zlib's, libxlsxwriter's) are mapped, faulted in and unmapped every time,
    // which cost a batch of small returns more system time than its writing. Big files are
    // still trimmed after each (Pipeline::process).
    ::mallopt(M_TRIM_THRESHOLD, 16 << 20);
    ::mallopt(M_MMAP_THRESHOLD, 4 << 20);
    return planconv::cli::run(argc, argv);
}
