// A timer helper defined in another file than the loop calling it: the
// project-facts tests of leak-timer-in-loop.
#include <asio.hpp>
#include <memory>

std::shared_ptr<asio::steady_timer> makeTimer(asio::io_context &io);
