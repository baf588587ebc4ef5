// A progress line for long commands (sweeps, calibration).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <ostream>
#include <string>

#include <unistd.h>

namespace ehsim::cli {

// Work done (runs, evaluations), rate and time left: a bar on a terminal, a line every ten seconds otherwise.
class Progress {
 public:
  Progress(std::ostream& err, std::size_t total, std::size_t done, bool enabled, std::string unit = "runs",
           std::string command = "sweep")
      : err_(err),
        unit_(std::move(unit)),
        command_(std::move(command)),
        total_(total),
        done_(done),
        start_done_(done),
        enabled_(enabled),
        terminal_(::isatty(STDERR_FILENO) == 1) {}

  void finished_one() {
    const std::lock_guard<std::mutex> lock(mutex_);
    done_ = std::min(done_ + 1, total_);
    show();
  }

  // The work ended before the total it was sized for (a calibration's starts
  // that converged early): the last line says so.
  void finish() {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (done_ == total_) return;
    total_ = done_;
    show();
  }

 private:
  void show() {
    if (!enabled_ || total_ == 0) return;
    const auto now = std::chrono::steady_clock::now();
    const double seconds = std::chrono::duration<double>(now - started_).count();
    if (!terminal_ && done_ < total_ && now - last_line_ < std::chrono::seconds(10)) return;
    last_line_ = now;
    const double rate = seconds > 0 ? static_cast<double>(done_ - start_done_) / seconds : 0;
    const double left = rate > 0 ? static_cast<double>(total_ - done_) / rate : 0;
    char text[160];
    if (terminal_) {
      const int width = 30;
      const int filled = static_cast<int>(width * static_cast<double>(done_) / static_cast<double>(total_));
      std::snprintf(text, sizeof text, "\r[%s%s] %zu/%zu %s, %.2f %s/s, %.0f s left   ",
                    std::string(static_cast<std::size_t>(filled), '#').c_str(),
                    std::string(static_cast<std::size_t>(width - filled), '.').c_str(), done_, total_, unit_.c_str(),
                    rate, unit_.c_str(), left);
      err_ << text << (done_ == total_ ? "\n" : "") << std::flush;
    } else {
      std::snprintf(text, sizeof text, "%s: %zu/%zu %s, %.2f %s/s, %.0f s left\n", command_.c_str(), done_, total_,
                    unit_.c_str(), rate, unit_.c_str(), left);
      err_ << text << std::flush;
    }
  }

  std::ostream& err_;
  std::string unit_, command_;
  std::size_t total_, done_, start_done_;
  bool enabled_, terminal_;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_line_ = started_;
};

}  // namespace ehsim::cli
