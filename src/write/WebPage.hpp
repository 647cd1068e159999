// The page `planconv serve` shows: drop or pick returns, see their findings as report.html
// shows them, download the cleaned workbook, the XML and the report; with a drop folder, every
// return in it with its status. One self-contained HTML document (inline CSS and script, no
// CDN, no fonts, no build step); its <style> and <script> carry the response's CSP nonce.
#pragma once

#include <cstddef>
#include <string>

namespace planconv {

// `nonce`: the Content-Security-Policy nonce of this response (base64 or hex, no quotes).
// `inbox`: whether the drop-folder list is shown (serve --inbox).
std::string web_page(const std::string& nonce, bool inbox, std::size_t max_upload_mb);

}  // namespace planconv
