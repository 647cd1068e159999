// A fixed pool of std::jthreads taking the next input index from an atomic counter.
#include "batch/BatchRunner.hpp"

#include "batch/Interruption.hpp"
#include "batch/ProgressBar.hpp"
#include "files/AtomicFile.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <optional>
#include <system_error>
#include <thread>

namespace planconv {

std::string utc_timestamp() {
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

RunResult run_batch(const Pipeline& pipeline, const std::vector<InputFile>& inputs, unsigned jobs, bool progress,
                    std::vector<std::optional<KeptDocument>>* kept) {
    RunResult run;
    run.generated = utc_timestamp();
    run.files.resize(inputs.size());
    if (kept) kept->assign(inputs.size(), std::nullopt);  // each worker fills only its inputs' slots
    ProgressBar bar(inputs.size(), progress);
    std::atomic<std::size_t> next{0};
    const bool spare_core = jobs > inputs.size();
    std::vector<char> processed(inputs.size(), 0);  // char, not bool: each worker writes its own slots
    // Each file's outputs are flushed and renamed on a thread of their own while its worker
    // goes on to the next file; a file is done once they are.
    std::optional<DeferredCommits> commits;
    auto work = [&] {
        // After SIGINT/SIGTERM no new file is taken; the ones in hand are finished.
        for (std::size_t i; !interrupt_requested() && (i = next.fetch_add(1)) < inputs.size();) {
            std::optional<DeferredCommits::Scope> later;
            if (commits) later.emplace(*commits, i);
            run.files[i] = pipeline.process(inputs[i], spare_core, kept ? &(*kept)[i] : nullptr);
            processed[i] = 1;
            bar.done(inputs[i].relative.string());
        }
    };
    jobs = std::max(1u, std::min<unsigned>(jobs, unsigned(inputs.size())));
    {
        DeferredDirectorySync folders;  // each output folder flushed once, after the last file
        if (inputs.size() > 1) {
            try {
                commits.emplace();
            } catch (const std::system_error&) {
                // no thread to be had: each worker flushes and renames its own outputs
            }
        }
        {
            std::vector<std::jthread> pool;
            for (unsigned j = 1; j < jobs; ++j) pool.emplace_back(work);
            work();
        }
        if (commits)
            for (const DeferredCommits::Failure& f : commits->finish())
                pipeline.output_not_written(run.files[f.owner], f.error, f.file);
    }
    bar.finish();
    if (std::count(processed.begin(), processed.end(), 1) < std::ptrdiff_t(inputs.size())) {
        // Interrupted: the report holds what was done. `kept` stays parallel to `inputs`.
        run.interrupted = true;
        std::vector<FileResult> done;
        for (std::size_t i = 0; i < inputs.size(); ++i)
            if (processed[i]) done.push_back(std::move(run.files[i]));
            else if (kept) (*kept)[i].reset();
        run.not_processed = inputs.size() - done.size();
        run.files = std::move(done);
    }
    return run;
}

}  // namespace planconv
