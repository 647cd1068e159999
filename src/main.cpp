// planconv: parse the command line and hand over to the command it names.
#include "cli/Commands.hpp"

int main(int argc, char** argv) { return planconv::cli::run(argc, argv); }
