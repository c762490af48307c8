// makeTimer() returns a new timer on every call.
#include "timer.h"

std::shared_ptr<asio::steady_timer> makeTimer(asio::io_context &io) {
  return std::make_shared<asio::steady_timer>(io, std::chrono::seconds(90));
}
