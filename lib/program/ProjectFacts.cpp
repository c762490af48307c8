//===--- ProjectFacts.cpp - leak-tidy -------------------------------------===//
#include "lib/program/ProjectFacts.h"
#include "lib/core/PerContext.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Index/USRGeneration.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA1.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <mutex>

#ifndef LEAK_TIDY_VERSION_STRING
#define LEAK_TIDY_VERSION_STRING "unknown"
#endif

namespace clang {
namespace leaklib {

namespace {
constexpr llvm::StringLiteral Header = "#leak-tidy-facts 1";

struct Config {
  std::mutex Lock;
  std::string Dir;
  bool Export = false;
};
Config &config() {
  static Config C;
  return C;
}

std::string sha1Hex(llvm::StringRef S) {
  return llvm::toHex(llvm::SHA1::hash(llvm::arrayRefFromStringRef(S)),
                     /*LowerCase=*/true);
}

/// Absolute, without "." and ".." (Python's os.path.abspath).
std::string absolutePath(llvm::StringRef P) {
  llvm::SmallString<256> Abs(P);
  llvm::sys::fs::make_absolute(Abs);
  llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
  return std::string(Abs);
}

/// The real path of \p P (symbolic links resolved), as the driver names a
/// TU; its absolute path when it cannot be resolved.
std::string realPath(llvm::StringRef P) {
  llvm::SmallString<256> Real;
  if (!llvm::sys::fs::real_path(P, Real))
    return std::string(Real);
  return absolutePath(P);
}

std::string compact(const llvm::json::Value &V) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  OS << V; // compact, object keys sorted (as facts.py's sort_keys)
  return S;
}

bool othersFresh(llvm::StringRef Dir, llvm::StringRef Tu, std::string &Why);
} // namespace

void ProjectFacts::configure(llvm::StringRef Dir, bool Export) {
  Config &C = config();
  std::lock_guard<std::mutex> G(C.Lock);
  C.Dir = Dir.empty() ? std::string() : absolutePath(Dir);
  C.Export = Export && !Dir.empty();
}

std::string ProjectFacts::checkStore(llvm::StringRef Dir) {
  llvm::SmallString<256> P(Dir);
  llvm::sys::path::append(P, "facts.idx");
  if (!llvm::sys::fs::exists(P))
    return "";
  auto Buf = llvm::MemoryBuffer::getFile(P, /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
  if (!Buf)
    return "cannot read '" + std::string(P) + "': " + Buf.getError().message();
  if (!(*Buf)->getBuffer().starts_with(std::string(Header) + "\n"))
    return "'" + std::string(P) +
           "' is not a leak-tidy facts store (its "
           "first line is not '" +
           Header.str() + "')";
  return "";
}

std::string ProjectFacts::exportPath(llvm::StringRef Dir,
                                     llvm::StringRef MainPath) {
  llvm::SmallString<256> P(Dir);
  llvm::sys::path::append(P, "tu", sha1Hex(MainPath) + ".jsonl");
  return std::string(P);
}

ProjectFacts::ProjectFacts(ASTContext &Ctx) : Ctx(Ctx) {
  {
    Config &C = config();
    std::lock_guard<std::mutex> G(C.Lock);
    Dir = C.Dir;
    Export = C.Export;
  }
  if (Dir.empty())
    return; // off: no file is touched
  const SourceManager &SM = Ctx.getSourceManager();
  if (OptionalFileEntryRef Main = SM.getFileEntryRefForID(SM.getMainFileID()))
    Tu = realPath(Main->getName());
  llvm::SmallString<256> P(Dir);
  llvm::sys::path::append(P, "facts.idx");
  if (checkStore(Dir).empty()) {
    auto Buf = llvm::MemoryBuffer::getFile(P, /*IsText=*/false,
                                           /*RequiresNullTerminator=*/false);
    if (Buf)
      Store = std::move(*Buf); // memory-mapped when large
  }
  // A reader outside leak-tidy-run's phases (leak-clangd, plain clang-tidy)
  // trusts the store only while every other TU's facts are fresh: a stale
  // TU's facts may be wrong and its new ones missing, so the answer would be
  // neither closed-world nor its own. Then: as without a store. (The driver
  // merges fresh per-TU files only, and re-checks what changed: exporting
  // runs need no test.)
  std::string Why;
  if (Store && !Export && !othersFresh(Dir, Tu, Why))
    Store.reset();
  if (Export) {
    collectFiles();
    Dirty = true; // the tu line is always written
  }
}

ProjectFacts::~ProjectFacts() { writeExport(); }

ProjectFacts &ProjectFacts::get(ASTContext &Ctx) {
  return PerContext<ProjectFacts>::get(
      Ctx, [&Ctx] { return std::make_unique<ProjectFacts>(Ctx); });
}

/// The main file and every non-system file the TU read, with the sha256 of
/// its content (the driver's test for a stale entry).
void ProjectFacts::collectFiles() {
  const SourceManager &SM = Ctx.getSourceManager();
  std::vector<std::pair<std::string, std::string>> Found;
  llvm::StringSet<> Seen;
  for (unsigned I = 0, N = SM.local_sloc_entry_size(); I < N; ++I) {
    const SrcMgr::SLocEntry &E = SM.getLocalSLocEntry(I);
    if (!E.isFile() || E.getFile().getFileCharacteristic() != SrcMgr::C_User)
      continue;
    const SrcMgr::ContentCache &CC = E.getFile().getContentCache();
    if (!CC.OrigEntry)
      continue;
    std::string Path = absolutePath(CC.OrigEntry->getName());
    std::optional<llvm::StringRef> Data = CC.getBufferDataIfLoaded();
    if (!Data || !Seen.insert(Path).second)
      continue;
    Found.emplace_back(
        Path,
        llvm::toHex(llvm::SHA256::hash(llvm::arrayRefFromStringRef(*Data)),
                    /*LowerCase=*/true));
  }
  std::sort(Found.begin(), Found.end());
  llvm::json::Array A;
  for (auto &[Path, Hash] : Found)
    A.push_back(llvm::json::Object{{"path", Path}, {"sha256", Hash}});
  Files = std::move(A);
}

namespace {
/// What is known of a file: its status when last read, and what was read.
struct Seen {
  llvm::sys::TimePoint<> MTime;
  uint64_t Size = 0;
  std::string Text; ///< the sha256 of a source; the header line of a TU file
};
struct SeenFiles {
  std::mutex Lock;
  llvm::StringMap<Seen> Map;
};

/// \p Read(P) of the file at \p P, memoised by modification time and size
/// (a long-running reader, leak-clangd, asks again at every rebuild); ""
/// when it cannot be read.
std::string memoised(SeenFiles &Memo, llvm::StringRef P,
                     llvm::function_ref<std::string(llvm::StringRef)> Read) {
  llvm::sys::fs::file_status St;
  if (llvm::sys::fs::status(P, St) || !llvm::sys::fs::is_regular_file(St))
    return "";
  {
    std::lock_guard<std::mutex> G(Memo.Lock);
    auto It = Memo.Map.find(P);
    if (It != Memo.Map.end() &&
        It->second.MTime == St.getLastModificationTime() &&
        It->second.Size == St.getSize())
      return It->second.Text;
  }
  std::string Text = Read(P);
  std::lock_guard<std::mutex> G(Memo.Lock);
  Memo.Map[P] = {St.getLastModificationTime(), St.getSize(), Text};
  return Text;
}

std::string sha256Of(llvm::StringRef P) {
  static SeenFiles Memo;
  return memoised(Memo, P, [](llvm::StringRef P) -> std::string {
    auto Buf = llvm::MemoryBuffer::getFile(P, /*IsText=*/false,
                                           /*RequiresNullTerminator=*/false);
    if (!Buf)
      return "";
    return llvm::toHex(
        llvm::SHA256::hash(llvm::arrayRefFromStringRef((*Buf)->getBuffer())),
        /*LowerCase=*/true);
  });
}

/// The first line of a per-TU file (its "tu" line), read up to its end only.
std::string headerLineOf(llvm::StringRef P) {
  static SeenFiles Memo;
  return memoised(Memo, P, [](llvm::StringRef P) -> std::string {
    llvm::Expected<llvm::sys::fs::file_t> F =
        llvm::sys::fs::openNativeFileForRead(P);
    if (!F) {
      llvm::consumeError(F.takeError());
      return "";
    }
    std::string Line;
    char Buf[8192];
    for (;;) {
      llvm::Expected<size_t> N = llvm::sys::fs::readNativeFile(*F, Buf);
      if (!N) {
        llvm::consumeError(N.takeError());
        break;
      }
      llvm::StringRef Chunk(Buf, *N);
      size_t End = Chunk.find('\n');
      Line += Chunk.substr(0, End).str();
      if (*N == 0 || End != llvm::StringRef::npos)
        break;
    }
    llvm::sys::fs::closeFile(*F);
    return Line;
  });
}

/// Whether the per-TU files under \p Dir of every TU but \p Tu still
/// describe the sources: the same leak-tidy version, and every file each one
/// read still has the recorded sha256 (memoised per process by modification
/// time and size). \p Why names the first stale one.
bool othersFresh(llvm::StringRef Dir, llvm::StringRef Tu, std::string &Why) {
  llvm::SmallString<256> TuDir(Dir);
  llvm::sys::path::append(TuDir, "tu");
  std::error_code EC;
  for (llvm::sys::fs::directory_iterator It(TuDir, EC), End; !EC && It != End;
       It.increment(EC)) {
    llvm::StringRef Path = It->path();
    if (!Path.ends_with(".jsonl"))
      continue;
    llvm::Expected<llvm::json::Value> V = llvm::json::parse(headerLineOf(Path));
    if (!V) {
      llvm::consumeError(V.takeError());
      Why = Path.str() + ": torn";
      return false;
    }
    const llvm::json::Object *O = V->getAsObject();
    std::optional<llvm::StringRef> T = O ? O->getString("tu") : std::nullopt;
    if (T && *T == Tu)
      continue; // the checked TU's own facts are not read
    if (!T || O->getString("version") !=
                  std::optional<llvm::StringRef>(LEAK_TIDY_VERSION_STRING)) {
      Why = Path.str() + ": another leak-tidy version";
      return false;
    }
    if (const llvm::json::Array *Files = O->getArray("files"))
      for (const llvm::json::Value &F : *Files) {
        const llvm::json::Object *FO = F.getAsObject();
        std::optional<llvm::StringRef> P =
            FO ? FO->getString("path") : std::nullopt;
        if (!P || sha256Of(*P) != FO->getString("sha256").value_or("")) {
          Why = T->str() + ": " + (P ? P->str() : "?") + " changed";
          return false;
        }
      }
  }
  return true;
}
} // namespace

std::string ProjectFacts::keyOf(const Decl *D) {
  if (!D)
    return "";
  D = D->getCanonicalDecl();
  auto It = Keys.find(D);
  if (It != Keys.end())
    return It->second;
  llvm::SmallString<128> Buf;
  std::string Key;
  if (!index::generateUSRForDecl(D, Buf))
    Key = std::string(Buf);
  // A key with a tab or a newline would break the store's lines.
  if (llvm::StringRef(Key).find_first_of("\t\n") != llvm::StringRef::npos)
    Key.clear();
  return Keys[D] = Key;
}

bool ProjectFacts::visibleToOtherTUs(const Decl *D) {
  const auto *ND = dyn_cast_or_null<NamedDecl>(D);
  if (!ND)
    return false;
  const SourceManager &SM = D->getASTContext().getSourceManager();
  SourceLocation L = SM.getExpansionLoc(ND->getLocation());
  if (L.isInvalid() || SM.isInSystemHeader(L))
    return false; // not the project's
  if (ND->isExternallyVisible())
    return true;
  for (const Decl *R : ND->redecls()) {
    SourceLocation RL = SM.getExpansionLoc(R->getLocation());
    if (RL.isValid() && !SM.isInMainFile(RL) && !SM.isInSystemHeader(RL))
      return true;
  }
  return false;
}

std::pair<std::string, unsigned>
ProjectFacts::fileLine(SourceLocation Loc) const {
  const SourceManager &SM = Ctx.getSourceManager();
  Loc = SM.getExpansionLoc(Loc);
  if (Loc.isInvalid())
    return {Tu, 0};
  FileID F = SM.getFileID(Loc);
  OptionalFileEntryRef FE = SM.getFileEntryRefForID(F);
  return {FE ? absolutePath(FE->getName()) : Tu,
          SM.getExpansionLineNumber(Loc)};
}

void ProjectFacts::add(const Decl *D, llvm::StringRef Kind,
                       llvm::json::Object Payload, SourceLocation Loc) {
  if (!Export)
    return;
  std::string Key = keyOf(D);
  if (Key.empty())
    return;
  auto [File, Line] = fileLine(Loc);
  Payload["key"] = Key;
  Payload["kind"] = Kind;
  // No "tu" (the file's first line names it; facts.py adds it when merging),
  // and "file" only when it is not the main file: the store shrinks.
  if (File != Tu)
    Payload["file"] = File;
  Payload["line"] = Line;
  Facts.push_back(compact(llvm::json::Value(std::move(Payload))));
  Dirty = true;
}

/// A line of the store: `Key\tJSON`. Lines are sorted bytewise, so the lines
/// of one key are contiguous, and (a tab sorting below every character of a
/// USR) come before those of any longer key with it as a prefix.
std::vector<llvm::StringRef> ProjectFacts::findLines(llvm::StringRef Store,
                                                     llvm::StringRef Key) {
  std::vector<llvm::StringRef> Out;
  size_t Begin = Store.find('\n');
  if (Begin == llvm::StringRef::npos || Key.empty())
    return Out;
  std::string Target = (Key + "\t").str();
  auto LineAt = [&](size_t P) {
    size_t E = Store.find('\n', P);
    return Store.slice(P, E == llvm::StringRef::npos ? Store.size() : E);
  };
  // The first line >= Target: Lo is always the start of a line.
  size_t Lo = Begin + 1, Hi = Store.size();
  while (Lo < Hi) {
    size_t Mid = Lo + (Hi - Lo) / 2;
    size_t P = Store.rfind('\n', Mid);
    P = (P == llvm::StringRef::npos || P < Lo) ? Lo : P + 1;
    if (P > Mid)
      P = Lo;
    llvm::StringRef Line = LineAt(P);
    if (Line.compare(Target) < 0)
      Lo = P + Line.size() + 1;
    else
      Hi = P;
  }
  for (size_t P = Lo; P < Store.size();) {
    llvm::StringRef Line = LineAt(P);
    if (!Line.starts_with(Target))
      break;
    Out.push_back(Line);
    P += Line.size() + 1;
  }
  return Out;
}

std::string ProjectFacts::digest(llvm::ArrayRef<llvm::StringRef> Lines,
                                 llvm::StringRef Tu) {
  llvm::SHA1 Hash;
  bool Any = false;
  for (llvm::StringRef Line : Lines) {
    llvm::StringRef Json = Line.split('\t').second;
    llvm::Expected<llvm::json::Value> V = llvm::json::parse(Json);
    if (!V) {
      llvm::consumeError(V.takeError());
      continue;
    }
    const llvm::json::Object *O = V->getAsObject();
    std::optional<llvm::StringRef> T = O ? O->getString("tu") : std::nullopt;
    if (T && *T == Tu)
      continue;
    Hash.update(Json);
    Hash.update("\n");
    Any = true;
  }
  if (!Any)
    return "";
  return llvm::toHex(Hash.final(), /*LowerCase=*/true);
}

std::vector<ProjectFacts::Record> ProjectFacts::lookup(const Decl *D,
                                                       llvm::StringRef Kind) {
  std::vector<Record> Out;
  if (!active())
    return Out;
  std::string Key = keyOf(D);
  if (Key.empty())
    return Out;
  std::vector<llvm::StringRef> Lines;
  if (Store)
    Lines = findLines(Store->getBuffer(), Key);
  if (Export && !Questions.count(Key)) {
    Questions[Key] = digest(Lines, Tu);
    Dirty = true;
  }
  for (llvm::StringRef Line : Lines) {
    llvm::Expected<llvm::json::Value> V =
        llvm::json::parse(Line.split('\t').second);
    if (!V) {
      llvm::consumeError(V.takeError());
      continue;
    }
    llvm::json::Object *O = V->getAsObject();
    if (!O || O->getString("kind") != std::optional<llvm::StringRef>(Kind))
      continue;
    Record R;
    R.Tu = O->getString("tu").value_or("").str();
    if (R.Tu == Tu)
      continue; // this TU's own (earlier) facts
    R.File = O->getString("file").value_or(R.Tu).str();
    R.Line = static_cast<unsigned>(O->getInteger("line").value_or(0));
    for (llvm::StringRef F : {"key", "kind", "tu", "file", "line"})
      O->erase(F);
    R.Payload = std::move(*O);
    Out.push_back(std::move(R));
  }
  return Out;
}

SourceLocation ProjectFacts::locationOf(const Record &R) {
  if (R.File.empty() || R.Line == 0)
    return SourceLocation();
  SourceManager &SM = Ctx.getSourceManager();
  llvm::Expected<FileEntryRef> FE =
      SM.getFileManager().getFileRef(R.File, /*OpenFile=*/true);
  if (!FE) {
    llvm::consumeError(FE.takeError());
    return SourceLocation();
  }
  FileID F = SM.translateFile(*FE);
  if (F.isInvalid())
    F = SM.createFileID(*FE, SourceLocation(), SrcMgr::C_User);
  if (F.isInvalid() || !SM.getBufferDataOrNone(F))
    return SourceLocation();
  return SM.translateLineCol(F, R.Line, 1);
}

void ProjectFacts::writeExport() {
  if (!Export || !Dirty || Tu.empty())
    return;
  Dirty = false;
  std::string Out =
      compact(llvm::json::Object{{"kind", "tu"},
                                 {"tu", Tu},
                                 {"version", LEAK_TIDY_VERSION_STRING},
                                 {"files", llvm::json::Array(Files)}}) +
      "\n";
  std::vector<std::string> Sorted = Facts;
  std::sort(Sorted.begin(), Sorted.end());
  Sorted.erase(std::unique(Sorted.begin(), Sorted.end()), Sorted.end());
  for (const std::string &F : Sorted)
    Out += F + "\n";
  std::vector<std::string> Keys;
  for (const auto &Q : Questions)
    Keys.push_back(Q.getKey().str());
  std::sort(Keys.begin(), Keys.end());
  for (const std::string &K : Keys)
    Out += compact(llvm::json::Object{
               {"kind", "question"}, {"key", K}, {"seen", Questions[K]}}) +
           "\n";

  std::string Path = exportPath(Dir, Tu);
  llvm::StringRef Parent = llvm::sys::path::parent_path(Path);
  if (llvm::sys::fs::create_directories(Parent))
    return;
  int FD = -1;
  llvm::SmallString<256> Tmp;
  if (llvm::sys::fs::createUniqueFile(Path + ".tmp-%%%%%%%%", FD, Tmp))
    return;
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << Out;
    OS.close();
    if (OS.has_error()) {
      OS.clear_error();
      llvm::sys::fs::remove(Tmp);
      return;
    }
  }
  if (llvm::sys::fs::rename(Tmp, Path))
    llvm::sys::fs::remove(Tmp);
}

} // namespace leaklib
} // namespace clang
