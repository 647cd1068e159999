// MemoryBudget: the memory a run may hold for the files in hand, shared between its workers, so
// that `-j N` never multiplies the worst case: a worker takes its file's estimated share before
// reading it and waits while the others' shares leave no room. A file that alone needs more
// than the whole budget is not read at all (the caller reports it, naming the budget).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>

namespace planconv {

// How much free memory the allocator keeps at the top of a heap rather than handing it back
// (tune_allocator sets it): a file whose read was estimated below this is not worth a trim
// after it (Pipeline::process), as the trim's page faults would cost more than the file.
inline constexpr std::uint64_t kAllocatorKeepsBytes = std::uint64_t(16) << 20;

// Called first by main: the allocator keeps up to kAllocatorKeepsBytes free instead of handing
// it back on every free, and serves blocks below 4 MiB from the heap; otherwise each small
// workbook's scratch blocks (zlib's, libxlsxwriter's) are mapped, faulted in and unmapped every
// time, which cost a batch of small returns more system time than its writing.
void tune_allocator();

class MemoryBudget {
public:
    explicit MemoryBudget(std::uint64_t bytes) : total_(bytes) {}
    MemoryBudget(const MemoryBudget&) = delete;
    MemoryBudget& operator=(const MemoryBudget&) = delete;

    // A share of the budget, given back when destroyed.
    class Share {
    public:
        Share(Share&& other) noexcept : budget_(other.budget_), bytes_(other.bytes_) { other.budget_ = nullptr; }
        Share& operator=(Share&& other) noexcept {
            if (this != &other) {
                release();
                budget_ = other.budget_;
                bytes_ = other.bytes_;
                other.budget_ = nullptr;
            }
            return *this;
        }
        Share(const Share&) = delete;
        ~Share() { release(); }

    private:
        void release() noexcept;
        friend class MemoryBudget;
        Share(MemoryBudget* budget, std::uint64_t bytes) : budget_(budget), bytes_(bytes) {}
        MemoryBudget* budget_;
        std::uint64_t bytes_;
    };

    // Waits until `need` fits beside the shares held; nullopt when it exceeds the whole budget.
    std::optional<Share> take(std::uint64_t need);

    std::uint64_t total() const { return total_; }
    std::uint64_t held() const;

private:
    void give_back(std::uint64_t bytes);

    const std::uint64_t total_;
    mutable std::mutex mutex_;
    std::condition_variable freed_;
    std::uint64_t held_ = 0;
};

// Half of the machine's physical memory: the default budget of a run.
std::uint64_t default_memory_budget();

}  // namespace planconv
