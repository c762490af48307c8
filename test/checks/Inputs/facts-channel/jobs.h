#include <boost/fiber/buffered_channel.hpp>
#include <string>

using JobQueue = boost::fibers::buffered_channel<std::string>;
extern JobQueue g_jobs; // defined and sent to in post.cpp

class Dispatcher {
public:
  void post(const std::string &J); // post.cpp
  void run();                      // drain.cpp or nodrain.cpp
private:
  JobQueue Q{64};
};
