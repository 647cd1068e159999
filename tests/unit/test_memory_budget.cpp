// The memory budget a run's workers share: a share that does not fit waits for another to be
// given back, one bigger than the whole budget is refused, and what is held is counted.
#include "batch/MemoryBudget.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>

using namespace planconv;

TEST_CASE("a share bigger than the whole budget is refused at once", "[budget]") {
    MemoryBudget budget(100);
    CHECK_FALSE(budget.take(101).has_value());
    CHECK(budget.held() == 0);
    auto all = budget.take(100);
    REQUIRE(all.has_value());
    CHECK(budget.held() == 100);
}

TEST_CASE("shares that fit together are held together and given back when dropped", "[budget]") {
    MemoryBudget budget(100);
    {
        auto a = budget.take(40);
        auto b = budget.take(60);
        REQUIRE(a);
        REQUIRE(b);
        CHECK(budget.held() == 100);
        auto moved = std::move(*a);
        a.reset();  // the moved-from share gives nothing back
        CHECK(budget.held() == 100);
    }
    CHECK(budget.held() == 0);
}

TEST_CASE("a share that does not fit waits until another is given back", "[budget]") {
    MemoryBudget budget(100);
    auto first = budget.take(60);
    REQUIRE(first);
    std::atomic<bool> second_taken{false};
    std::jthread worker([&] {
        auto second = budget.take(60);
        second_taken = second.has_value();
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK_FALSE(second_taken.load());  // 60 + 60 > 100: still waiting
    first.reset();
    worker.join();
    CHECK(second_taken.load());
    CHECK(budget.held() == 0);
}
