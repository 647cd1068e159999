// planconv: parse the command line and hand over to the command it names.
#include "batch/MemoryBudget.hpp"
#include "cli/Commands.hpp"

int main(int argc, char** argv) {
    planconv::tune_allocator();
    return planconv::cli::run(argc, argv);
}
