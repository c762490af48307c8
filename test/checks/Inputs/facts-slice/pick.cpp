#include "buffers.h"

BufferPtr pick(BufferPtr B) { return B; }
const BufferPtr &bodyOf(const Response &R) { return R.Body; }
