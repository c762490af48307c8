#include <memory>
#include <vector>

using Buffer = std::vector<char>;
using BufferPtr = std::shared_ptr<Buffer>;
struct Response {
  int Status;
  BufferPtr Body;
};

// Defined in pick.cpp (hands back its argument) or fresh.cpp (does not).
BufferPtr pick(BufferPtr B);
const BufferPtr &bodyOf(const Response &R);
