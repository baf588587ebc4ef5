// Reads configuration text safely: a file only if it is a regular file of a
// sane size, and TOML only if its nesting is bounded, checked before toml11's
// recursive parser sees it (deep nesting would otherwise overflow the stack).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "config/schema.hpp"

namespace ehsim::config {

// The whole text of a configuration, overlay or sweep file. Throws ConfigError
// naming the file when it is missing, not a regular file (a folder, a device,
// a pipe), unreadable, or over limits::max_config_bytes.
std::string read_config_file(const std::filesystem::path& path);

// Why a path cannot be read as a configuration file, or empty when it can.
std::string unreadable_config_file(const std::filesystem::path& path);

// Parses TOML text named `source_name` in messages. Nesting of arrays and
// inline tables beyond limits::max_toml_nesting, or a key of more than
// limits::max_key_parts dotted parts, is refused with its line, before parsing;
// a syntax error is reported with toml11's line and first line of message.
TomlValue parse_toml_text(std::string_view text, const std::string& source_name);

}  // namespace ehsim::config
