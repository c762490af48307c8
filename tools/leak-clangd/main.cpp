//===--- main.cpp - leak-clangd -------------------------------------------===//
//
// leak-clangd: clangd 22 with leak-tidy's `leak` clang-tidy module linked in,
// so that editors show the leak-* findings as you type (clangd cannot load a
// clang-tidy plugin). Everything else is Debian's clangd, unchanged: main()
// hands over to clangd's own entry point from libclangdMain.a.
//
// The checks come from the static library leakTidyChecks (the same objects
// the LeakTidy.so plugin links); checks/LeakTidyModule.cpp, compiled into this
// executable, registers them with clang-tidy's module registry. The anchor
// below makes the dependency explicit.
//
//===----------------------------------------------------------------------===//
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdlib>
#include <string>
#include <vector>

namespace clang::clangd {
// Defined in libclangdMain.a (clang-tools-extra/clangd/tool/ClangdMain.cpp);
// Debian does not install clangd's headers, so declare it here.
int clangdMain(int argc, char *argv[]);
// Defined in libclangDaemon.a (clangd/Feature.cpp): what `clangd --version`
// prints.
std::string versionString();
std::string featureString();
std::string platformString();
} // namespace clang::clangd

namespace clang::tidy {
// Defined in checks/LeakTidyModule.cpp next to the module's registry entry.
extern volatile int LeakModuleAnchorSource;
} // namespace clang::tidy

static void printVersion() {
  const char *Facts = std::getenv("LEAK_TIDY_PROJECT_FACTS");
  llvm::outs()
      << clang::clangd::versionString() << "\n"
      << "Features: " << clang::clangd::featureString() << "\n"
      << "Platform: " << clang::clangd::platformString() << "\n"
      << "leak-tidy version " LEAK_TIDY_VERSION
         " (clangd with the leak-* checks built in; LLVM " LLVM_VERSION_STRING
         ")\n"
      << "project facts: " << (Facts && *Facts ? Facts : "none") << "\n";
}

// clangd looks for Clang's builtin headers (stddef.h, ...) in
// <dir of the binary>/../lib/clang/<major>. That holds for Debian's own
// /usr/lib/llvm-22/bin/clangd but not for leak-clangd in build/bin or
// /usr/local/bin, so default --resource-dir to the LLVM it was built against
// when the usual place has no headers (an explicit --resource-dir wins).
static bool needsResourceDir(const char *Argv0) {
  std::string Exe = llvm::sys::fs::getMainExecutable(
      Argv0, reinterpret_cast<void *>(&needsResourceDir));
  if (Exe.empty())
    return true;
  llvm::SmallString<256> Dir(llvm::sys::path::parent_path(Exe));
  llvm::sys::path::append(Dir, "..", "lib", "clang");
  llvm::sys::path::append(Dir, std::to_string(LLVM_VERSION_MAJOR), "include",
                          "stddef.h");
  return !llvm::sys::fs::exists(Dir);
}

// Project facts (docs/ci.md, "Project facts"): the checks read the store of
// the last whole-project leak-tidy-run, BUILD_DIR/leak-facts next to the
// compile_commands.json clangd uses, through LEAK_TIDY_PROJECT_FACTS (an
// explicit value, even empty, wins). The build directory is clangd's
// --compile-commands-dir, else the first directory from the working directory
// up that has compile_commands.json in it or in its build/. Never exports: the
// open file's own facts come from its AST (the checks ignore the store's
// records of the TU they check).
static std::string factsDirFor(llvm::StringRef CompileCommandsDir) {
  llvm::SmallString<256> Dir(CompileCommandsDir);
  llvm::sys::path::append(Dir, "leak-facts");
  llvm::SmallString<256> Index(Dir);
  llvm::sys::path::append(Index, "facts.idx");
  return llvm::sys::fs::exists(Index) ? std::string(Dir) : std::string();
}

static std::string findFactsDir(int argc, char *argv[]) {
  for (int I = 1; I < argc; ++I) {
    llvm::StringRef Arg = argv[I];
    if (Arg == "--")
      break;
    Arg.consume_front("-");
    if (Arg.consume_front("-compile-commands-dir")) {
      if (Arg.consume_front("="))
        return factsDirFor(Arg);
      if (Arg.empty() && I + 1 < argc)
        return factsDirFor(argv[I + 1]);
    }
  }
  llvm::SmallString<256> Cwd;
  if (llvm::sys::fs::current_path(Cwd))
    return std::string();
  for (llvm::StringRef Dir = Cwd; !Dir.empty();
       Dir = llvm::sys::path::parent_path(Dir)) {
    for (llvm::StringRef Sub : {"", "build"}) {
      llvm::SmallString<256> Db(Dir);
      llvm::sys::path::append(Db, Sub, "compile_commands.json");
      if (llvm::sys::fs::exists(Db))
        return factsDirFor(llvm::sys::path::parent_path(Db));
    }
  }
  return std::string();
}

int main(int argc, char *argv[]) {
  // Keep the translation unit with the `leak` module's registry entry.
  (void)clang::tidy::LeakModuleAnchorSource;

  if (!std::getenv("LEAK_TIDY_PROJECT_FACTS")) {
    std::string Facts = findFactsDir(argc, argv);
    if (!Facts.empty())
      ::setenv("LEAK_TIDY_PROJECT_FACTS", Facts.c_str(), 1);
  }

  bool HasResourceDir = false;
  for (int I = 1; I < argc; ++I) {
    llvm::StringRef Arg = argv[I];
    if (Arg == "--")
      break;
    // clangdMain installs clangd's own --version printer, which exits before
    // LLVM's extra version printers run, so answer --version here: clangd's
    // three lines, then leak-tidy's.
    if (Arg == "--version" || Arg == "-version") {
      printVersion();
      return 0;
    }
    if (Arg.starts_with("--resource-dir") || Arg.starts_with("-resource-dir"))
      HasResourceDir = true;
  }

  std::vector<char *> Args(argv, argv + argc);
  static char ResourceDirArg[] = "--resource-dir=" LEAK_CLANGD_RESOURCE_DIR;
  if (!HasResourceDir &&
      llvm::sys::fs::is_directory(LEAK_CLANGD_RESOURCE_DIR) &&
      needsResourceDir(argv[0]))
    Args.insert(Args.begin() + 1, ResourceDirArg);
  Args.push_back(nullptr);
  return clang::clangd::clangdMain(static_cast<int>(Args.size()) - 1,
                                   Args.data());
}
