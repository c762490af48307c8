// A loop calling makeTimer(), defined in another file, on every turn.
#include "timer.h"

bool running();

void fresh(asio::io_context &io) {
  while (running()) {
    auto t = makeTimer(io);
    t->async_wait([t](const asio::error_code &) {});
  }
}
