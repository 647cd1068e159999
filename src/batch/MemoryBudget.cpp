// The shared memory budget of a run's workers.
#include "batch/MemoryBudget.hpp"

#include <malloc.h>

#include <unistd.h>

namespace planconv {

void tune_allocator() {
    ::mallopt(M_TRIM_THRESHOLD, int(kAllocatorKeepsBytes));
    ::mallopt(M_MMAP_THRESHOLD, 4 << 20);
}

void MemoryBudget::Share::release() noexcept {
    if (budget_) budget_->give_back(bytes_);
    budget_ = nullptr;
}

std::optional<MemoryBudget::Share> MemoryBudget::take(std::uint64_t need) {
    if (need > total_) return std::nullopt;
    std::unique_lock lock(mutex_);
    freed_.wait(lock, [&] { return held_ + need <= total_; });
    held_ += need;
    return Share(this, need);
}

std::uint64_t MemoryBudget::held() const {
    std::lock_guard lock(mutex_);
    return held_;
}

void MemoryBudget::give_back(std::uint64_t bytes) {
    {
        std::lock_guard lock(mutex_);
        held_ -= bytes;
    }
    freed_.notify_all();
}

std::uint64_t default_memory_budget() {
    long pages = ::sysconf(_SC_PHYS_PAGES), size = ::sysconf(_SC_PAGESIZE);
    if (pages <= 0 || size <= 0) return 2ull << 30;  // unknown: 2 GiB
    return std::uint64_t(pages) * std::uint64_t(size) / 2;
}

}  // namespace planconv
