#include "buffers.h"

BufferPtr pick(BufferPtr B) { return std::make_shared<Buffer>(*B); }
const BufferPtr &bodyOf(const Response &R) {
  static BufferPtr Copy;
  Copy = std::make_shared<Buffer>(*R.Body);
  return Copy;
}
