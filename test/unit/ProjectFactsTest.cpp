//===--- ProjectFactsTest.cpp - leak-tidy unit tests ----------------------===//
//
// lib/program/ProjectFacts: the store's binary search by key, lookups (other
// TUs' records of a kind; the question and its digest), the per-TU export
// file, locations in files the TU did not read, and that nothing happens
// when no directory is configured.
//
//===----------------------------------------------------------------------===//
#include "lib/program/ProjectFacts.h"
#include "ParsedCode.h"
#include "clang/AST/ASTContext.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

using namespace clang;
using namespace clang::ast_matchers;
using namespace clang::leaklib;

namespace {

std::string tempDir() {
  llvm::SmallString<128> Dir;
  EXPECT_FALSE(llvm::sys::fs::createUniqueDirectory("leak-facts", Dir));
  return std::string(Dir);
}

void writeFile(llvm::StringRef Path, llvm::StringRef Text) {
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path, EC);
  ASSERT_FALSE(EC);
  OS << Text;
}

std::string readFile(llvm::StringRef Path) {
  auto Buf = llvm::MemoryBuffer::getFile(Path);
  return Buf ? (*Buf)->getBuffer().str() : std::string("<missing>");
}

const VarDecl *var(ASTUnit &AST, llvm::StringRef Name) {
  auto R = match(varDecl(hasName(Name)).bind("v"), AST.getASTContext());
  return R.empty() ? nullptr : R.front().getNodeAs<VarDecl>("v");
}

/// Turns project facts off again whatever a test did.
struct FactsOff {
  ~FactsOff() { ProjectFacts::configure("", false); }
};

TEST(ProjectFacts, BinarySearchFindsEveryLineOfAKeyAndNoPrefixKey) {
  // Sorted bytewise, as facts.py writes it: "c:@a" < "c:@a#1" (a tab sorts
  // below '#'), and the lines of one key are contiguous.
  std::string Store = "#leak-tidy-facts 1\n";
  std::vector<std::string> Keys = {"c:@a", "c:@a#1", "c:@b", "c:@c", "c:@d"};
  for (const std::string &K : Keys)
    for (int I = 0; I < 3; ++I)
      Store += K + "\t{\"n\":" + std::to_string(I) + "}\n";
  for (const std::string &K : Keys) {
    std::vector<llvm::StringRef> L = ProjectFacts::findLines(Store, K);
    ASSERT_EQ(L.size(), 3u) << K;
    for (int I = 0; I < 3; ++I)
      EXPECT_EQ(L[I], K + "\t{\"n\":" + std::to_string(I) + "}");
  }
  EXPECT_TRUE(ProjectFacts::findLines(Store, "c:@").empty());
  EXPECT_TRUE(ProjectFacts::findLines(Store, "c:@a#").empty());
  EXPECT_TRUE(ProjectFacts::findLines(Store, "c:@e").empty());
  EXPECT_TRUE(ProjectFacts::findLines(Store, "a").empty());
  EXPECT_TRUE(ProjectFacts::findLines("#leak-tidy-facts 1\n", "c:@a").empty());
  // No final newline; one line only.
  EXPECT_EQ(ProjectFacts::findLines("#leak-tidy-facts 1\nk\t{}", "k").size(),
            1u);
}

TEST(ProjectFacts, BinarySearchOnALargeStore) {
  std::string Store = "#leak-tidy-facts 1\n";
  std::vector<std::string> Keys;
  for (int I = 0; I < 5000; ++I) {
    llvm::SmallString<16> K;
    llvm::raw_svector_ostream(K) << "c:@k" << llvm::format_hex_no_prefix(I, 5);
    Keys.push_back(std::string(K));
  }
  std::sort(Keys.begin(), Keys.end());
  for (const std::string &K : Keys)
    Store += K + "\t{\"tu\":\"/x.cpp\",\"payload\":\"" +
             std::string(K.size() % 7 * 9, 'p') + "\"}\n";
  for (size_t I = 0; I < Keys.size(); I += 97)
    EXPECT_EQ(ProjectFacts::findLines(Store, Keys[I]).size(), 1u) << Keys[I];
  EXPECT_EQ(ProjectFacts::findLines(Store, Keys.back()).size(), 1u);
  EXPECT_EQ(ProjectFacts::findLines(Store, Keys.front()).size(), 1u);
}

TEST(ProjectFacts, DigestSkipsTheAskingTU) {
  std::vector<llvm::StringRef> Lines = {"k\t{\"tu\":\"/a.cpp\",\"x\":1}",
                                        "k\t{\"tu\":\"/b.cpp\",\"x\":2}"};
  // Only this TU's own lines: nothing to read.
  EXPECT_EQ(ProjectFacts::digest({Lines[0]}, "/a.cpp"), "");
  EXPECT_EQ(ProjectFacts::digest({}, "/a.cpp"), "");
  // sha1("{"tu":"/b.cpp","x":2}\n"), as facts.py's digest() computes it
  // (test/checks/project-facts-export.test compares the two on a store).
  EXPECT_EQ(ProjectFacts::digest(Lines, "/a.cpp"),
            ProjectFacts::digest({Lines[1]}, "/c.cpp"));
  EXPECT_NE(ProjectFacts::digest(Lines, "/a.cpp"),
            ProjectFacts::digest(Lines, "/c.cpp"));
  EXPECT_EQ(ProjectFacts::digest(Lines, "/a.cpp").size(), 40u);
}

TEST(ProjectFacts, OffByDefault) {
  FactsOff Off;
  ProjectFacts::configure("", false);
  auto AST = leaktest::parse("int counter;");
  ProjectFacts &PF = ProjectFacts::get(AST->getASTContext());
  EXPECT_FALSE(PF.active());
  EXPECT_FALSE(PF.hasStore());
  EXPECT_TRUE(PF.lookup(var(*AST, "counter"), "container").empty());
}

TEST(ProjectFacts, LookupReadsOtherTUsRecordsOfTheKind) {
  FactsOff Off;
  std::string Dir = tempDir();
  auto AST = leaktest::parse("extern int counter; static int hidden;");
  const VarDecl *Counter = var(*AST, "counter");
  // The key is the USR; a store with records of two other TUs, of this TU
  // and of another kind.
  std::string Key;
  {
    ProjectFacts::configure("", false);
    ProjectFacts Probe(AST->getASTContext());
    Key = Probe.keyOf(Counter);
  }
  EXPECT_EQ(Key, "c:@counter");
  std::string Main = Dir + "/main.cpp"; // not this TU
  std::vector<std::string> Lines = {
      Key + "\t{\"file\":\"/p/a.cpp\",\"grows\":\"none\",\"key\":\"" + Key +
          "\",\"kind\":\"container\",\"line\":3,\"tu\":\"/p/a.cpp\"}",
      Key + "\t{\"file\":\"/p/b.h\",\"grows\":\"runtime\",\"key\":\"" + Key +
          "\",\"kind\":\"container\",\"line\":7,\"tu\":\"/p/b.cpp\"}",
      Key + "\t{\"const_args\":true,\"file\":\"/p/b.cpp\",\"key\":\"" + Key +
          "\",\"kind\":\"call\",\"line\":9,\"tu\":\"/p/b.cpp\"}",
  };
  std::sort(Lines.begin(), Lines.end());
  std::string Store = "#leak-tidy-facts 1\nc:@a\t{}\n";
  for (const std::string &L : Lines)
    Store += L + "\n";
  Store += "c:@z\t{}\n";
  writeFile(Dir + "/facts.idx", Store);
  ProjectFacts::configure(Dir, /*Export=*/false);
  ProjectFacts PF(AST->getASTContext());
  ASSERT_TRUE(PF.hasStore());
  std::vector<ProjectFacts::Record> R = PF.lookup(Counter, "container");
  ASSERT_EQ(R.size(), 2u);
  EXPECT_EQ(R[0].Tu, "/p/a.cpp");
  EXPECT_EQ(R[0].File, "/p/a.cpp");
  EXPECT_EQ(R[0].Line, 3u);
  EXPECT_EQ(R[0].Payload.getString("grows"), "none");
  EXPECT_FALSE(R[0].Payload.get("key")); // the envelope is not payload
  EXPECT_EQ(R[1].Payload.getString("grows"), "runtime");
  EXPECT_EQ(PF.lookup(Counter, "call").size(), 1u);
  EXPECT_TRUE(PF.lookup(var(*AST, "hidden"), "container").empty());
  EXPECT_TRUE(ProjectFacts::visibleToOtherTUs(Counter));
  EXPECT_FALSE(ProjectFacts::visibleToOtherTUs(var(*AST, "hidden")));
}

TEST(ProjectFacts, ExportFileHasTheTuLineFactsAndQuestions) {
  FactsOff Off;
  std::string Dir = tempDir();
  auto AST = leaktest::parse("extern int counter;\nint other;\n");
  ASTContext &Ctx = AST->getASTContext();
  ProjectFacts::configure(Dir, /*Export=*/true);
  ProjectFacts PF(Ctx);
  EXPECT_FALSE(PF.hasStore()); // no facts.idx yet: questions still recorded
  const VarDecl *Counter = var(*AST, "counter");
  PF.add(Counter, "container",
         llvm::json::Object{{"grows", "runtime"}, {"shrinks", false}},
         var(*AST, "other")->getLocation());
  EXPECT_TRUE(PF.lookup(Counter, "container").empty());
  PF.lookup(Counter, "call"); // the same key: one question
  PF.writeExport();
  std::string Path = ProjectFacts::exportPath(Dir, PF.tuPath());
  EXPECT_TRUE(llvm::StringRef(Path).ends_with(".jsonl"));
  std::string Text = readFile(Path);
  llvm::SmallVector<llvm::StringRef> L;
  llvm::StringRef(Text).split(L, '\n', -1, /*KeepEmpty=*/false);
  ASSERT_EQ(L.size(), 3u) << Text;
  std::string Tu = PF.tuPath().str();
  EXPECT_TRUE(llvm::sys::path::is_absolute(Tu));
  EXPECT_TRUE(
      L[0].starts_with("{\"files\":[{\"path\":\"" + Tu + "\",\"sha256\":\""))
      << L[0].str();
  EXPECT_TRUE(
      L[0].contains("\"kind\":\"tu\",\"tu\":\"" + Tu + "\",\"version\":\""))
      << L[0].str();
  // The build's version (CMake's PROJECT_VERSION), not a placeholder.
  EXPECT_FALSE(L[0].contains("\"version\":\"\"")) << L[0].str();
  EXPECT_FALSE(L[0].contains("\"version\":\"unknown\"")) << L[0].str();
  // No "tu" (line 1 names it), no "file" (the main file): the store's size.
  EXPECT_EQ(L[1], "{\"grows\":\"runtime\",\"key\":\"c:@counter\","
                  "\"kind\":\"container\",\"line\":2,\"shrinks\":false}");
  EXPECT_EQ(L[2],
            "{\"key\":\"c:@counter\",\"kind\":\"question\",\"seen\":\"\"}");
  // Nothing new: not written again (the file keeps its time and content).
  llvm::sys::fs::remove(Path);
  PF.writeExport();
  EXPECT_FALSE(llvm::sys::fs::exists(Path));
  // No temporary file is left behind.
  std::error_code EC;
  for (llvm::sys::fs::directory_iterator I(Dir + "/tu", EC), E; I != E && !EC;
       I.increment(EC))
    ADD_FAILURE() << "left behind: " << I->path();
}

TEST(ProjectFacts, ExportIsWrittenWhenTheContextIsFreed) {
  FactsOff Off;
  std::string Dir = tempDir();
  std::string Tu;
  {
    auto AST = leaktest::parse("int x;");
    ProjectFacts::configure(Dir, /*Export=*/true);
    Tu = ProjectFacts::get(AST->getASTContext()).tuPath().str();
  }
  EXPECT_TRUE(llvm::StringRef(readFile(ProjectFacts::exportPath(Dir, Tu)))
                  .starts_with("{\"files\":"));
}

TEST(ProjectFacts, LocationOfAFileTheTUDidNotRead) {
  FactsOff Off;
  std::string Dir = tempDir();
  std::string Other = Dir + "/other.cpp";
  writeFile(Other, "int a;\nint b;\nint c;\n");
  auto AST = leaktest::parse("int x;");
  ProjectFacts::configure(Dir, /*Export=*/false);
  ProjectFacts PF(AST->getASTContext());
  ProjectFacts::Record R;
  R.File = Other;
  R.Line = 2;
  SourceLocation L = PF.locationOf(R);
  ASSERT_TRUE(L.isValid());
  const SourceManager &SM = AST->getASTContext().getSourceManager();
  EXPECT_EQ(SM.getSpellingLineNumber(L), 2u);
  EXPECT_EQ(SM.getFilename(L), Other);
  EXPECT_NE(SM.getFileID(L), SM.getMainFileID());
  // Asked again: the same file, not a second copy.
  EXPECT_EQ(PF.locationOf(R), L);
  R.File = Dir + "/missing.cpp";
  EXPECT_TRUE(PF.locationOf(R).isInvalid());
}

TEST(ProjectFacts, AReaderSetsAsideAStoreWithStaleFactsOfAnotherTU) {
  FactsOff Off;
  std::string Dir = tempDir();
  auto AST = leaktest::parse("extern int counter;");
  ASTContext &Ctx = AST->getASTContext();
  const VarDecl *Counter = var(*AST, "counter");
  // This plugin's version, from an export of this TU (whose own per-TU file
  // is then in tu/: never a reason to set the store aside).
  std::string Version;
  {
    ProjectFacts::configure(Dir, /*Export=*/true);
    ProjectFacts PF(Ctx);
    PF.writeExport();
    llvm::Expected<llvm::json::Value> Head = llvm::json::parse(
        llvm::StringRef(readFile(ProjectFacts::exportPath(Dir, PF.tuPath())))
            .split('\n')
            .first);
    ASSERT_TRUE(bool(Head));
    Version = Head->getAsObject()->getString("version").value_or("").str();
  }
  std::string B = Dir + "/b.cpp", Text = "int counter;\n";
  writeFile(B, Text);
  auto Sha = [](llvm::StringRef S) {
    return llvm::toHex(llvm::SHA256::hash(llvm::arrayRefFromStringRef(S)),
                       /*LowerCase=*/true);
  };
  writeFile(Dir + "/tu/b.jsonl", "{\"files\":[{\"path\":\"" + B +
                                     "\",\"sha256\":\"" + Sha(Text) +
                                     "\"}],\"kind\":\"tu\",\"tu\":\"" + B +
                                     "\",\"version\":\"" + Version + "\"}\n");
  writeFile(Dir + "/facts.idx",
            "#leak-tidy-facts 1\nc:@counter\t{\"file\":\"" + B +
                "\",\"key\":\"c:@counter\",\"kind\":\"container\",\"line\":1,"
                "\"tu\":\"" +
                B + "\"}\n");
  ProjectFacts::configure(Dir, /*Export=*/false);
  {
    ProjectFacts PF(Ctx); // b.cpp as it was read: fresh
    EXPECT_TRUE(PF.hasStore());
    EXPECT_EQ(PF.lookup(Counter, "container").size(), 1u);
  }
  writeFile(B, "int counter; // edited since\n");
  {
    ProjectFacts PF(Ctx); // stale: as without a store
    EXPECT_FALSE(PF.hasStore());
    EXPECT_TRUE(PF.lookup(Counter, "container").empty());
  }
  writeFile(B, Text);
  EXPECT_TRUE(ProjectFacts(Ctx).hasStore()); // the same bytes again
  writeFile(B, "int counter; // edited since\n");
  // The driver's phases (exporting) read the store as merged: leak-tidy-run
  // merges fresh per-TU files only and re-checks what changed.
  ProjectFacts::configure(Dir, /*Export=*/true);
  EXPECT_TRUE(ProjectFacts(Ctx).hasStore());
}

} // namespace
