// WriteFailure: why an output could not be written, in plain words for the person at the
// terminal ("the disk is full"), whichever layer failed — our own files (AtomicFile),
// std::filesystem, or a library that reports only that it failed (libxlsxwriter).
#pragma once

#include <cstdio>
#include <exception>
#include <filesystem>
#include <string>

namespace planconv {

// The reason for errno `error_number` when writing in `folder` ("permission denied: cannot
// write in out/sub"); "" for 0.
std::string plain_write_reason(int error_number, const std::filesystem::path& folder);

// The reason `e` was thrown while writing into `folder`: from its errno when it carries one,
// else found by looking at the folder (no space left, not writable, a file size limit), else
// the library's own words.
std::string plain_write_reason(const std::exception& e, const std::filesystem::path& folder);

// Library error lines (libxlsxwriter prints "[ERROR][packager.c:…]" to stderr itself) kept off
// the terminal for as long as the object lives: the C `stderr` stream points at /dev/null,
// while planconv's own messages (std::cerr) still reach the terminal. Create it on the main
// thread before any worker starts; it restores `stderr` when destroyed.
class LibraryStderrSilenced {
public:
    LibraryStderrSilenced();
    ~LibraryStderrSilenced();
    LibraryStderrSilenced(const LibraryStderrSilenced&) = delete;
    LibraryStderrSilenced& operator=(const LibraryStderrSilenced&) = delete;

private:
    std::FILE* saved_ = nullptr;
    std::FILE* null_ = nullptr;
};

}  // namespace planconv
