// Plain reasons for failed writes, and libxlsxwriter's stderr lines kept off the terminal.
#include "files/WriteFailure.hpp"

#include "files/AtomicFile.hpp"

#include <sys/resource.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace planconv {

namespace fs = std::filesystem;

namespace {

std::string shown(const fs::path& folder) { return folder.empty() ? std::string(".") : folder.string(); }

// The errno a write in `folder` most likely met, when the failing layer did not say.
int probe_folder(const fs::path& folder) {
    fs::path dir = folder.empty() ? fs::path(".") : folder;
    std::error_code ec;
    while (!dir.empty() && !fs::exists(dir, ec) && dir.has_parent_path() && dir.parent_path() != dir) dir = dir.parent_path();
    struct statvfs vfs{};
    if (::statvfs(dir.c_str(), &vfs) == 0) {
        if (vfs.f_flag & ST_RDONLY) return EROFS;
        if (std::uint64_t(vfs.f_bavail) * vfs.f_frsize < 64 * 1024) return ENOSPC;
    }
    if (::access(dir.c_str(), W_OK | X_OK) != 0) return errno;
    struct rlimit limit{};
    if (::getrlimit(RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) return EFBIG;
    return 0;
}

}  // namespace

std::string plain_write_reason(int error_number, const fs::path& folder) {
    switch (error_number) {
        case 0: return "";
        case ENOSPC:
        case EDQUOT: return "the disk is full (no space left in " + shown(folder) + ")";
        case EFBIG: return "the disk is full for this process (the file size limit, ulimit -f, was reached)";
        case EACCES:
        case EPERM: return "permission denied: planconv may not write in " + shown(folder);
        case EROFS: return "the disk holding " + shown(folder) + " is read-only";
        case ENOTDIR:
        case EEXIST: return "a file stands where the folder " + shown(folder) + " is needed";
        case ENAMETOOLONG: return "the file name is too long for the disk";
        case EIO: return "the disk reported an input/output error";
        default: {
            std::string why = std::strerror(error_number);
            if (!why.empty()) why[0] = char(std::tolower(static_cast<unsigned char>(why[0])));
            return why;
        }
    }
}

std::string plain_write_reason(const std::exception& e, const fs::path& folder) {
    int err = 0;
    if (const auto* a = dynamic_cast<const AtomicFileError*>(&e)) err = a->error_number();
    else if (const auto* f = dynamic_cast<const fs::filesystem_error*>(&e)) err = f->code().value();
    if (err == 0) err = probe_folder(folder);
    if (err != 0) return plain_write_reason(err, folder);
    return std::string("the file could not be written (") + e.what() + ")";
}

LibraryStderrSilenced::LibraryStderrSilenced() {
    std::fflush(stderr);
    null_ = std::fopen("/dev/null", "w");
    if (!null_) return;
    saved_ = stderr;
    stderr = null_;  // std::cerr keeps the stream it was built on: the real one
}

LibraryStderrSilenced::~LibraryStderrSilenced() {
    if (!null_) return;
    stderr = saved_;
    std::fclose(null_);
}

}  // namespace planconv
