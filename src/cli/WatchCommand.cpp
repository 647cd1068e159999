// `planconv watch INBOX -o OUT`: the drop folder, run until SIGTERM/SIGINT.
#include "cli/CommandLine.hpp"
#include "cli/Commands.hpp"
#include "cli/DoorSetup.hpp"
#include "cli/Help.hpp"

#include "batch/DropFolder.hpp"

#include <boost/program_options.hpp>

#include <iostream>

namespace po = boost::program_options;

namespace planconv::cli {

int watch_command(const std::vector<std::string>& args) {
    po::options_description opts("planconv watch INBOX -o OUT [options]");
    opts.add_options()("help,h", "show this help")
        ("poll", po::value<unsigned>(), "look at the inbox every SECONDS instead of using inotify (for network shares, "
                                        "where inotify sees nothing); a file is taken once its size and time are unchanged "
                                        "across two looks")
        ("previous", po::value<std::string>(), "last quarter's return(s) to compare each return with: planconv XML, a workbook, "
                                               "or a folder of either, read when the watch starts; enables the PREV-* rules");
    add_door_options(opts);
    po::variables_map vm;
    if (auto done = parse_command_line("watch", args, opts, vm, "inbox")) return *done;
    if (!vm.count("inbox") || vm["inbox"].as<std::vector<std::string>>().size() != 1) {
        std::cerr << "planconv watch: name one inbox folder (planconv watch INBOX -o OUT)\n";
        return kExitUsage;
    }
    auto setup = door_setup(vm, "watch");
    if (!setup) return kExitUsage;
    DropFolderOptions dopts;
    dopts.inbox = vm["inbox"].as<std::vector<std::string>>()[0];
    dopts.out_dir = setup->options.out_dir;
    dopts.poll_seconds = vm.count("poll") ? std::max(1u, vm["poll"].as<unsigned>()) : 0;
    dopts.jobs = setup->jobs;
    dopts.quiet = setup->quiet;
    int stop_fd = install_stop_pipe();
    DropFolder folder(*setup->pipeline, dopts);
    try {
        folder.run(stop_fd);
    } catch (const std::exception& e) {
        std::cerr << "planconv watch: " << e.what() << "\n";
        return kExitUsage;
    }
    int sig = stop_signal();
    if (!setup->quiet) std::cerr << "planconv watch: stopped" << (sig ? (sig == 15 ? " (SIGTERM)" : " (SIGINT)") : "") << "\n";
    return sig ? 128 + sig : kExitOk;
}

}  // namespace planconv::cli
