#include "config/toml_text.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include <linux/magic.h>
#include <sys/vfs.h>

#include "config/limits.hpp"

namespace ehsim::config {

namespace {

[[noreturn]] void fail(const std::string& file, std::uint32_t line, std::string message) {
  ConfigIssue issue;
  issue.where = {file, line};
  issue.message = std::move(message);
  throw ConfigError({issue});
}

// A lexer just deep enough to count, outside strings and comments, how deeply
// arrays and inline tables nest and how many dotted parts a key has. It does
// not judge the syntax: whatever it passes, toml11 parses and reports.
class NestingCheck {
 public:
  NestingCheck(std::string_view text, const std::string& source_name) : text_(text), source_(source_name) {}

  void run() {
    bool in_key = true;  // a line of the top level starts with a key or a table header
    int key_parts = 1;
    while (at_ < text_.size()) {
      const char c = text_[at_];
      if (c == '\n') {
        ++line_;
        ++at_;
        if (open_.empty()) {
          in_key = true;
          key_parts = 1;
        }
      } else if (c == '#') {
        while (at_ < text_.size() && text_[at_] != '\n') ++at_;
      } else if (c == '"' || c == '\'') {
        skip_string(c);
      } else if (in_key) {
        if (c == '.' && ++key_parts > limits::max_key_parts)
          fail(source_, line_,
               "a key or table header of more than " + std::to_string(limits::max_key_parts) +
                   " dotted parts; an ehsim configuration needs at most 4");
        // A table header's brackets are part of the key at the top level; an
        // inline table may close where a key could start ({} or a trailing comma).
        if (c == '=' || (c == ']' && open_.empty())) in_key = false;
        if (c == '}' && !open_.empty() && open_.back() == '{') {
          open_.pop_back();
          in_key = false;
        }
        ++at_;
      } else {
        if (c == '[' || c == '{') {
          open_.push_back(c);
          if (open_.size() > static_cast<std::size_t>(limits::max_toml_nesting))
            fail(source_, line_,
                 "arrays or inline tables nested more than " + std::to_string(limits::max_toml_nesting) +
                     " deep; an ehsim configuration needs at most 2");
          if (c == '{') {
            in_key = true;
            key_parts = 1;
          }
        } else if ((c == ']' || c == '}') && !open_.empty()) {
          open_.pop_back();
        } else if (c == ',' && !open_.empty() && open_.back() == '{') {
          in_key = true;
          key_parts = 1;
        }
        ++at_;
      }
    }
  }

 private:
  // Skips a basic ("...", with escapes) or literal ('...') string, single or
  // triple quoted; a newline ends a single-quoted one (toml11 reports it).
  void skip_string(char quote) {
    const bool triple = text_.compare(at_, 3, std::string(3, quote)) == 0;
    at_ += triple ? 3 : 1;
    while (at_ < text_.size()) {
      const char c = text_[at_];
      if (c == '\\' && quote == '"') {
        if (at_ + 1 < text_.size() && text_[at_ + 1] == '\n') ++line_;
        at_ += 2;
        continue;
      }
      if (c == '\n') {
        if (!triple) return;
        ++line_;
      }
      if (c == quote && !triple) {
        ++at_;
        return;
      }
      if (c == quote && text_.compare(at_, 3, std::string(3, quote)) == 0) {
        // Up to two quotes may stand just inside the closing three ("""a""""
        // is the string a"): the string ends after the whole run, at most five.
        std::size_t run = 3;
        while (run < 5 && at_ + run < text_.size() && text_[at_ + run] == quote) ++run;
        at_ += run;
        return;
      }
      ++at_;
    }
  }

  std::string_view text_;
  const std::string& source_;
  std::size_t at_ = 0;
  std::uint32_t line_ = 1;
  std::vector<char> open_;
};

// The line of the first byte that is not valid UTF-8 (0: all valid). TOML
// text must be UTF-8, and toml11 reads past the end of its buffer on some
// invalid sequences inside strings, so they are refused before it sees them.
std::uint32_t first_invalid_utf8_line(std::string_view text) {
  std::uint32_t line = 1;
  for (std::size_t at = 0; at < text.size();) {
    const auto byte = static_cast<unsigned char>(text[at]);
    if (byte == '\n') ++line;
    if (byte < 0x80) {
      ++at;
      continue;
    }
    // Lead byte: how many continuation bytes, and the range the second byte
    // must fall in (excluding overlong forms, surrogates and beyond U+10FFFF).
    std::size_t continuation = 0;
    unsigned char low = 0x80, high = 0xbf;
    if (byte >= 0xc2 && byte <= 0xdf) {
      continuation = 1;
    } else if (byte >= 0xe0 && byte <= 0xef) {
      continuation = 2;
      if (byte == 0xe0) low = 0xa0;
      if (byte == 0xed) high = 0x9f;
    } else if (byte >= 0xf0 && byte <= 0xf4) {
      continuation = 3;
      if (byte == 0xf0) low = 0x90;
      if (byte == 0xf4) high = 0x8f;
    } else {
      return line;
    }
    if (at + continuation >= text.size()) return line;  // cut short by the end
    for (std::size_t k = 1; k <= continuation; ++k) {
      const auto next = static_cast<unsigned char>(text[at + k]);
      if (next < (k == 1 ? low : 0x80) || next > (k == 1 ? high : 0xbf)) return line;
    }
    at += continuation + 1;
  }
  return 0;
}

}  // namespace

std::string unreadable_config_file(const std::filesystem::path& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec) return ec == std::errc::no_such_file_or_directory ? "it does not exist" : ec.message();
  if (std::filesystem::is_directory(status)) return "it is a folder, not a file";
  if (!std::filesystem::is_regular_file(status)) return "it is not a regular file (a device, a pipe or a socket)";
  // Files of the kernel's own file systems look regular but are not files
  // anyone writes a configuration in.
  struct statfs system {};
  if (::statfs(path.c_str(), &system) == 0 && (system.f_type == PROC_SUPER_MAGIC || system.f_type == SYSFS_MAGIC))
    return "it is a special file of the kernel (/proc or /sys), not a configuration";
  return {};
}

std::string read_config_file(const std::filesystem::path& path) {
  const std::string name = path.string();
  if (const auto problem = unreadable_config_file(path); !problem.empty())
    fail(name, 0, "cannot read the file: " + problem);
  std::ifstream stream(path, std::ios::binary);
  if (!stream) fail(name, 0, std::string("cannot read the file: ") + std::strerror(errno));
  // Read in blocks rather than by the size stat reports: files such as those
  // under /proc report a size of 0, and a file may grow while it is read.
  std::string text;
  char block[1 << 16];
  while (stream.read(block, sizeof block) || stream.gcount() > 0) {
    text.append(block, static_cast<std::size_t>(stream.gcount()));
    if (text.size() > limits::max_config_bytes)
      fail(name, 0,
           "the file is larger than " + std::to_string(limits::max_config_bytes >> 20) +
               " MiB; an ehsim configuration is a few KB");
  }
  if (stream.bad()) fail(name, 0, "cannot read the file: an input/output error");
  return text;
}

TomlValue parse_toml_text(std::string_view text, const std::string& source_name) {
  if (text.size() > limits::max_config_bytes)
    fail(source_name, 0,
         "the text is larger than " + std::to_string(limits::max_config_bytes >> 20) +
             " MiB; an ehsim configuration is a few KB");
  if (const auto line = first_invalid_utf8_line(text); line > 0)
    fail(source_name, line, "the text is not valid UTF-8, as TOML must be (save the file as UTF-8)");
  NestingCheck(text, source_name).run();
  std::istringstream stream{std::string(text)};
  try {
    return toml::parse<toml::preserve_comments, std::map, std::vector>(stream, source_name);
  } catch (const toml::exception& error) {
    // toml11's message spans several lines with a source excerpt; keep its
    // first line as the message and the location as ours.
    std::string message = error.what();
    message = message.substr(0, message.find('\n'));
    if (message.rfind("[error] ", 0) == 0) message.erase(0, 8);
    fail(error.location().file_name(), static_cast<std::uint32_t>(error.location().line()),
         "TOML syntax error: " + message);
  }
}

}  // namespace ehsim::config
