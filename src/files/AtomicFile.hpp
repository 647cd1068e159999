// AtomicFile: an output that appears under its final name complete or not at all (SPEC §4).
//
// The content goes to a temporary file in the same folder (so the rename cannot cross file
// systems), is flushed to disk, and is renamed over the final name by commit(). Destroying an
// AtomicFile that was not committed removes the temporary file, so an interrupted or failed
// write never leaves a truncated file under a final name.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string_view>

namespace planconv {

class AtomicFileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class AtomicFile {
public:
    // Creates the temporary file beside `final_path` (its folder must exist). Throws AtomicFileError.
    explicit AtomicFile(std::filesystem::path final_path);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    const std::filesystem::path& path() const { return final_path_; }
    // For libraries that write by file name themselves (libxlsxwriter): write here, then commit().
    const std::filesystem::path& temp_path() const { return temp_path_; }

    // Appends to the temporary file. Throws AtomicFileError.
    void write(std::string_view bytes);
    // Flushes to disk and renames over the final name. Throws AtomicFileError (and removes the
    // temporary file). Calling it twice is an error.
    void commit();
    // Removes the temporary file now; the final name is left as it was.
    void discard() noexcept;

    bool committed() const { return committed_; }

private:
    void close_fd() noexcept;

    std::filesystem::path final_path_;
    std::filesystem::path temp_path_;
    int fd_ = -1;
    bool committed_ = false;
};

}  // namespace planconv
