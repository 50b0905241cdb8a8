#include "daemon/intake_check.h"

#include <cctype>
#include <cstdint>
#include <string>

namespace bescheid::daemon {
namespace {

std::string_view SkipBomAndSpace(std::string_view b) {
  if (b.substr(0, 3) == "\xEF\xBB\xBF") b.remove_prefix(3);
  while (!b.empty() && std::isspace(static_cast<unsigned char>(b.front()))) {
    b.remove_prefix(1);
  }
  return b;
}

std::string_view TrimEnd(std::string_view b) {
  while (!b.empty() && std::isspace(static_cast<unsigned char>(b.back()))) {
    b.remove_suffix(1);
  }
  return b;
}

// The qualified name of the first element, skipping the XML declaration,
// comments, processing instructions and a DOCTYPE; empty if none.
std::string_view RootName(std::string_view b, size_t* start_tag_end) {
  size_t i = 0;
  while (true) {
    i = b.find('<', i);
    if (i == std::string_view::npos || i + 1 >= b.size()) return {};
    const char c = b[i + 1];
    if (c == '?' || c == '!') {
      const std::string_view close = b.substr(i, 4) == "<!--" ? "-->" : ">";
      i = b.find(close, i);
      if (i == std::string_view::npos) return {};
      continue;
    }
    size_t j = i + 1;
    while (j < b.size() && !std::isspace(static_cast<unsigned char>(b[j])) &&
           b[j] != '>' && b[j] != '/') {
      ++j;
    }
    if (j >= b.size()) return {};
    *start_tag_end = b.find('>', j);
    return b.substr(i + 1, j - i - 1);
  }
}

}  // namespace

FileKind Sniff(std::string_view bytes) {
  const std::string_view b = SkipBomAndSpace(bytes);
  if (!b.empty() && b.front() == '<') return FileKind::kXml;
  if (bytes.substr(0, 5) == "%PDF-" ||
      bytes.substr(0, 4) == std::string_view("II*\0", 4) ||
      bytes.substr(0, 4) == std::string_view("MM\0*", 4) ||
      bytes.substr(0, 8) == "\x89PNG\r\n\x1a\n" ||
      bytes.substr(0, 3) == "\xFF\xD8\xFF") {
    return FileKind::kScan;
  }
  return FileKind::kOther;
}

bool LooksComplete(FileKind kind, std::string_view bytes) {
  switch (kind) {
    case FileKind::kXml: {
      size_t start_tag_end = std::string_view::npos;
      const std::string_view root = RootName(bytes, &start_tag_end);
      if (root.empty()) return false;  // not even the root's start tag yet
      const std::string_view body = TrimEnd(bytes);
      if (start_tag_end != std::string_view::npos && start_tag_end > 0 &&
          bytes[start_tag_end - 1] == '/' && body.size() == start_tag_end + 1) {
        return true;  // <Root/>
      }
      const std::string end_tag = "</" + std::string(root) + ">";
      if (body.size() >= end_tag.size() &&
          body.substr(body.size() - end_tag.size()) == end_tag) {
        return true;
      }
      // Allow "</Root >" and a trailing comment after the end tag.
      const size_t last = body.rfind("</" + std::string(root));
      if (last == std::string_view::npos) return false;
      const size_t gt = body.find('>', last);
      if (gt == std::string_view::npos) return false;
      std::string_view rest = SkipBomAndSpace(body.substr(gt + 1));
      while (rest.substr(0, 4) == "<!--") {
        const size_t end = rest.find("-->");
        if (end == std::string_view::npos) return false;
        rest = SkipBomAndSpace(rest.substr(end + 3));
      }
      return rest.empty();
    }
    case FileKind::kScan: {
      if (bytes.substr(0, 5) == "%PDF-") {
        const std::string_view tail =
            bytes.substr(bytes.size() > 1024 ? bytes.size() - 1024 : 0);
        return tail.find("%%EOF") != std::string_view::npos;
      }
      if (bytes.substr(0, 2) == "II" || bytes.substr(0, 2) == "MM") {
        if (bytes.size() < 8) return false;
        const bool le = bytes[0] == 'I';
        auto byte = [&](size_t i) {
          return static_cast<uint32_t>(static_cast<unsigned char>(bytes[i]));
        };
        const uint32_t ifd =
            le ? byte(4) | byte(5) << 8 | byte(6) << 16 | byte(7) << 24
               : byte(7) | byte(6) << 8 | byte(5) << 16 | byte(4) << 24;
        return static_cast<uint64_t>(ifd) + 2 <= bytes.size();
      }
      if (bytes.substr(0, 3) == "\xFF\xD8\xFF") {
        return TrimEnd(bytes).size() >= 2 &&
               bytes.substr(bytes.size() - 2) == "\xFF\xD9";
      }
      return bytes.size() >= 12 && bytes.substr(bytes.size() - 12, 8) ==
                                       std::string_view("\0\0\0\0IEND", 8);
    }
    case FileKind::kOther:
      return true;
  }
  return true;
}

}  // namespace bescheid::daemon
