// leak-tidy-flags: -std=c++17
//
// A tiny "file index": it reads whole files, remembers the first bytes of
// each (the magic number) and the extension of each name, and keeps the last
// request body in a buffer. Each of the three keeps far more memory than it
// needs:
//   1. g_magic holds an owning alias into the whole file contents,
//   2. g_last_ext points into the middle of a heap block whose base is lost,
//   3. g_request keeps the capacity of the largest request ever received.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <vector>

using Contents = std::vector<char>;

static std::map<std::string, std::shared_ptr<const char>> g_magic;
static const char *g_last_ext = nullptr;
static std::string g_request;

static std::shared_ptr<Contents> readFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::make_shared<Contents>(std::istreambuf_iterator<char>(in),
                                    std::istreambuf_iterator<char>());
}

void indexFile(const std::string &path) {
  std::shared_ptr<Contents> data = readFile(path);
  if (data->size() < 4)
    return;
  // Leaks: the 4-byte alias keeps the whole file in memory.
  g_magic[path] = std::shared_ptr<const char>(data, data->data());
  // Fix: keep a copy, e.g. a std::map<std::string, std::string> holding
  // std::string(data->data(), 4).
}

void rememberExtension(const char *name, std::size_t len) {
  char *copy = static_cast<char *>(std::malloc(len + 1));
  if (!copy)
    return;
  std::memcpy(copy, name, len);
  copy[len] = '\0';
  const char *dot = std::strrchr(copy, '.');
  // Leaks: the base pointer `copy` is lost; the whole block stays.
  g_last_ext = copy + (dot ? dot - copy : 0);
  // Fix: copy the extension alone (strdup(dot)) and free(copy).
}

void receiveRequest(std::string body) { g_request = std::move(body); }

void finishRequest() {
  // Leaks: the string keeps the capacity of the largest body ever received.
  g_request.erase(16);
  // Fix: g_request.shrink_to_fit();
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; ++i) {
    indexFile(argv[i]);
    rememberExtension(argv[i], std::strlen(argv[i]));
  }
  receiveRequest(std::string(1 << 20, 'x'));
  finishRequest();
  std::printf("%zu files, last extension %s, request %zu bytes\n",
              g_magic.size(), g_last_ext ? g_last_ext : "-", g_request.size());
}
