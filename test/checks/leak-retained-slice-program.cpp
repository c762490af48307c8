// RUN: %check_leak %s leak-retained-slice -- -std=c++17
// RUN: %check_leak --config="{CheckOptions: {leak-retained-slice.StorageKinds: 'Globals;StaticLocals'}}" --prefixes=NOPROC %s leak-retained-slice -- -std=c++17

// What the program model (lib/program) decides for this check: which
// destinations live as long as the process. A local of a main() that runs
// until the process ends, or of a function that never returns, is as
// long-lived as a global: a small view of a large buffer stored there keeps
// the buffer for good. A local of an ordinary function is not. And a buffer
// owned by such a local lives that long anyway: a slice of it keeps nothing
// extra.
#include <cstdlib>
#include <memory>
#include <vector>

std::shared_ptr<char[]> readPacket();
bool serve();
void handle(const std::shared_ptr<const char> &header);

static std::shared_ptr<const char> g_magic;

// A worker loop that nothing leaves: its locals live as long as the process.
void worker() {
  std::vector<std::shared_ptr<const char>> seen; // NOTE: 'seen' lives as long as the process: 'worker' never returns
  for (;;) {
    std::shared_ptr<char[]> packet = readPacket(); // NOTE: the retained buffer is returned by this call
    seen.push_back(std::shared_ptr<const char>(packet, packet.get() + 4)); // WARN: slice stored in an element of 'seen' keeps the whole buffer alive (size unknown) NOTE: copy the part you need
  }
}

// Silent: a local of a function that returns dies with the call.
void once() {
  std::vector<std::shared_ptr<const char>> seen;
  std::shared_ptr<char[]> packet = readPacket();
  seen.push_back(std::shared_ptr<const char>(packet, packet.get() + 4));
  for (const auto &h : seen)
    handle(h);
}

int main() {
  // Silent: the image lives as long as the process anyway.
  std::shared_ptr<char[]> image = readPacket();
  g_magic = std::shared_ptr<const char>(image, image.get() + 8);
  std::vector<std::shared_ptr<const char>> headers; // NOTE: 'headers' lives as long as the process: main() does not end soon
  while (serve()) {
    std::shared_ptr<char[]> packet = readPacket(); // NOTE: the retained buffer is returned by this call
    headers.push_back(std::shared_ptr<const char>(packet, packet.get() + 4)); // WARN: slice stored in an element of 'headers' keeps the whole buffer alive (size unknown) NOTE: copy the part you need
    // Pointers into the middle of a heap block whose base is dropped.
    char *block = static_cast<char *>(std::malloc(1 << 20)); // NOTE: the block is allocated here; its base pointer 'block' is never freed nor kept NOPROC-NOTE: the block is allocated here
    static std::vector<char *> names;
    names.push_back(block + 16); // WARN: pointer into the middle of a heap block stored in an element of 'names' keeps the whole block alive (1048576 bytes) NOTE: copy the part you need into a block of its own NOPROC-WARN: pointer into the middle of a heap block stored in an element of 'names' NOPROC-NOTE: copy the part
  }
  return 0;
}
