// makeTimer() hands out one long-lived timer, not a fresh one.
#include "timer.h"

static std::shared_ptr<asio::steady_timer> The;

std::shared_ptr<asio::steady_timer> makeTimer(asio::io_context &io) {
  if (!The)
    The = std::make_shared<asio::steady_timer>(io, std::chrono::seconds(90));
  return The;
}
