#include "buffers.h"

std::shared_ptr<const char> g_head;
BufferPtr g_buffer;  // lives for the program
Response g_response; // so does its Body

// The helper hands back g_buffer, which lives for the program anyway.
void keepGlobalPicked() {
  g_head = std::shared_ptr<const char>(pick(g_buffer), g_buffer->data() + 4);
}
void keepGlobalBody() {
  g_head = std::shared_ptr<const char>(bodyOf(g_response),
                                       g_response.Body->data() + 4);
}

// Through the helper, the buffer is the caller's parameter.
void keepPicked(BufferPtr B) {
  g_head = std::shared_ptr<const char>(pick(B), B->data() + 4);
}
