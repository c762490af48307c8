// RUN: %check_leak %s leak-retained-slice -- -std=c++17
//
// Origins through a helper that hands back its argument or a member of it
// (issue 17, slices; FunctionSummaries::returnedParam): the buffer is the
// argument's. A std::string_view or a std::string::substr() copy never keeps
// a buffer alive (a view owns nothing; substr copies): not slices here.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

using Buffer = std::vector<char>;
using BufferPtr = std::shared_ptr<Buffer>;
struct Response {
  int Status;
  BufferPtr Body;
  std::string Text;
};
Response fetch(int Fd);

std::shared_ptr<const char> g_head;
BufferPtr g_buffer;  // lives for the program
Response g_response; // so does its Body

static BufferPtr pick(BufferPtr B) { return B; }
static const BufferPtr &bodyOf(const Response &R) { return R.Body; }
static BufferPtr pickFirst(BufferPtr A, BufferPtr B) {
  if (A)
    return A;
  return B;
}

//===----------------------------------------------------------------------===//
// Must warn.
//===----------------------------------------------------------------------===//

// Through the helper, the buffer is the caller's parameter.
void keepPicked(BufferPtr B) { // NOTE: the retained buffer comes from parameter 'B'
  g_head = std::shared_ptr<const char>(pick(B), B->data() + 4); // WARN: slice stored in 'g_head' keeps the whole buffer alive (size unknown) NOTE: copy the part you need
}

// A member of a call result, through a helper: still the result of a call.
void keepBody(int Fd) {
  Response R = fetch(Fd);
  g_head = std::shared_ptr<const char>(bodyOf(R), R.Body->data() + 4); // WARN: slice stored in 'g_head' keeps the whole buffer alive (size unknown) NOTE: the retained buffer is returned by this call NOTE: copy the part you need
}

// A helper returning one of two parameters: no single origin, as before.
void keepEither(BufferPtr A) {
  g_head = std::shared_ptr<const char>(pickFirst(A, g_buffer), A->data()); // WARN: slice stored in 'g_head' keeps the whole buffer alive NOTE: the retained buffer is returned by this call NOTE: copy the part you need
}

//===----------------------------------------------------------------------===//
// Must stay silent.
//===----------------------------------------------------------------------===//

// The helper hands back a buffer that lives for the program anyway.
void keepGlobalPicked() {
  g_head = std::shared_ptr<const char>(pick(g_buffer), g_buffer->data() + 4);
}
void keepGlobalBody() {
  g_head = std::shared_ptr<const char>(bodyOf(g_response),
                                       g_response.Body->data() + 4);
}

// Views own nothing; substr() of a std::string copies.
std::string_view g_view;
std::string g_prefix;
void keepView(int Fd) {
  Response R = fetch(Fd);
  g_prefix = R.Text.substr(0, 16);
  g_view = std::string_view(R.Text).substr(0, 16); // dangles, but retains nothing
}
