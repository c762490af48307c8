//===--- StorageTest.cpp - leak-tidy unit tests ---------------------------===//
//
// lib/core/Storage: storage kinds, program lifetime, static instances of a
// class, and whether another translation unit could touch a declaration
// (code split between the main file and a header it includes).
//
//===----------------------------------------------------------------------===//
#include "lib/core/Storage.h"
#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include "gtest/gtest.h"

using namespace clang;
using namespace clang::ast_matchers;
using namespace clang::leaklib;

namespace {

struct Parsed {
  std::unique_ptr<ASTUnit> AST;
  ASTContext &ctx() { return AST->getASTContext(); }
  const SourceManager &sm() { return ctx().getSourceManager(); }
  /// The (last) declaration named \p Name.
  const NamedDecl *decl(const char *Name) {
    auto R = match(findAll(namedDecl(hasName(Name)).bind("d")), ctx());
    return R.empty() ? nullptr : R.back().getNodeAs<NamedDecl>("d");
  }
  const VarDecl *var(const char *Name) {
    return dyn_cast_or_null<VarDecl>(decl(Name));
  }
  const CXXRecordDecl *record(const char *Name) {
    auto R = match(
        findAll(cxxRecordDecl(hasName(Name), isDefinition()).bind("d")), ctx());
    return R.empty() ? nullptr : R[0].getNodeAs<CXXRecordDecl>("d");
  }
};

Parsed parse(const std::string &Main, const std::string &Header = "") {
  Parsed P;
  P.AST = tooling::buildASTFromCodeWithArgs(
      "#include \"shared.h\"\n" + Main, {"-std=c++17"}, "input.cpp",
      "storage-test", std::make_shared<PCHContainerOperations>(),
      tooling::getClangStripDependencyFileAdjuster(),
      {{"shared.h", "#pragma once\n" + Header}});
  return P;
}

TEST(Storage, Kinds) {
  Parsed P = parse("int G;\n"
                   "thread_local int T;\n"
                   "struct S { static int M; int F; };\n"
                   "void f(int Param) {\n"
                   "  int A = 0; static int L; static thread_local int TL;\n"
                   "  static int *H = new int; }\n");
  ASSERT_TRUE(P.AST);
  EXPECT_EQ(storageKind(P.var("G")), StorageKind::Global);
  EXPECT_EQ(storageKind(P.var("T")), StorageKind::ThreadLocal);
  EXPECT_EQ(storageScope(P.var("T")), StorageKind::Global);
  EXPECT_EQ(storageKind(P.var("M")), StorageKind::StaticMember);
  EXPECT_EQ(storageKind(cast<ValueDecl>(P.decl("F"))), StorageKind::Member);
  EXPECT_EQ(storageKind(P.var("Param")), StorageKind::Automatic);
  EXPECT_EQ(storageKind(P.var("A")), StorageKind::Automatic);
  EXPECT_EQ(storageKind(P.var("L")), StorageKind::StaticLocal);
  EXPECT_EQ(storageKind(P.var("TL")), StorageKind::ThreadLocal);
  EXPECT_EQ(storageScope(P.var("TL")), StorageKind::StaticLocal);
  EXPECT_EQ(storageKind(cast<ValueDecl>(P.decl("f"))), StorageKind::Unknown);
  EXPECT_EQ(storageKind(nullptr), StorageKind::Unknown);

  EXPECT_TRUE(livesForProgram(P.var("G")));
  EXPECT_TRUE(livesForProgram(P.var("T")));
  EXPECT_TRUE(livesForProgram(P.var("M")));
  EXPECT_TRUE(livesForProgram(P.var("L")));
  EXPECT_TRUE(livesForProgram(P.var("TL")));
  EXPECT_TRUE(livesForProgram(P.var("H")));
  EXPECT_FALSE(livesForProgram(P.var("A")));
  EXPECT_FALSE(livesForProgram(P.var("Param")));
  EXPECT_FALSE(livesForProgram(nullptr));
}

TEST(Storage, StaticInstances) {
  Parsed P = parse("struct Global {}; struct Single {}; struct Arr {};\n"
                   "struct Local {}; struct Ptr {};\n"
                   "Global g;\n"
                   "Single &instance() { static Single s; return s; }\n"
                   "Arr table[4];\n"
                   "Ptr *p;\n"
                   "void f() { Local l; (void)l; }\n");
  ASSERT_TRUE(P.AST);
  EXPECT_TRUE(hasStaticInstance(P.record("Global"), P.ctx()));
  EXPECT_TRUE(hasStaticInstance(P.record("Single"), P.ctx()));
  EXPECT_TRUE(hasStaticInstance(P.record("Arr"), P.ctx()));
  EXPECT_FALSE(hasStaticInstance(P.record("Local"), P.ctx()));
  EXPECT_FALSE(hasStaticInstance(P.record("Ptr"), P.ctx())); // a pointer
  EXPECT_FALSE(hasStaticInstance(nullptr, P.ctx()));
}

TEST(Storage, VisibleOnlyInThisTU) {
  Parsed P = parse(
      // main file
      "int MainGlobal;\n"
      "static int MainStatic;\n"
      "namespace { int Anon; }\n"
      "int HeaderExtern;\n" // defined here, declared extern in the header
      "inline int MainInline;\n"
      "int local() { static int LocalStatic; return LocalStatic; }\n"
      "struct MainClass { int Pub; };\n"
      "void Closed::set() { Priv = 1; }\n"
      "void Friendly::set() { Priv = 1; }\n",
      // header
      "extern int HeaderExtern;\n"
      "static int HeaderStatic;\n"
      "inline int shared() { static int SharedStatic; return SharedStatic; }\n"
      "struct Open { int Pub; private: int Priv; public: void set(); };\n"
      "struct Closed { void set(); private: int Priv; };\n"
      "struct Friendly { void set(); friend void peek(); private: int Priv; "
      "};\n"
      "struct Half { void set(); void elsewhere(); private: int Priv; };\n");
  ASSERT_TRUE(P.AST);
  const SourceManager &SM = P.sm();
  EXPECT_TRUE(visibleOnlyInThisTU(P.var("MainGlobal"), SM));
  EXPECT_TRUE(visibleOnlyInThisTU(P.var("MainStatic"), SM));
  EXPECT_TRUE(visibleOnlyInThisTU(P.var("Anon"), SM));
  EXPECT_TRUE(visibleOnlyInThisTU(P.var("HeaderStatic"), SM));
  EXPECT_FALSE(visibleOnlyInThisTU(P.var("HeaderExtern"), SM));
  EXPECT_FALSE(visibleOnlyInThisTU(P.var("MainInline"), SM));
  EXPECT_TRUE(visibleOnlyInThisTU(P.var("LocalStatic"), SM));
  EXPECT_FALSE(visibleOnlyInThisTU(P.var("SharedStatic"), SM));
  EXPECT_TRUE(visibleOnlyInThisTU(P.record("MainClass"), SM));
  EXPECT_FALSE(visibleOnlyInThisTU(P.record("Open"), SM));
  EXPECT_TRUE(visibleOnlyInThisTU(P.decl("local"), SM));
  EXPECT_FALSE(visibleOnlyInThisTU(P.decl("shared"), SM));

  auto Field = [&](const char *Class, const char *Name) -> const NamedDecl * {
    for (const FieldDecl *F : P.record(Class)->fields())
      if (F->getName() == Name)
        return F;
    return nullptr;
  };
  EXPECT_TRUE(visibleOnlyInThisTU(Field("MainClass", "Pub"), SM));
  EXPECT_FALSE(visibleOnlyInThisTU(Field("Open", "Pub"), SM));
  EXPECT_FALSE(
      visibleOnlyInThisTU(Field("Open", "Priv"), SM)); // set() elsewhere
  EXPECT_TRUE(visibleOnlyInThisTU(Field("Closed", "Priv"), SM));
  EXPECT_FALSE(visibleOnlyInThisTU(Field("Friendly", "Priv"), SM));
  EXPECT_FALSE(visibleOnlyInThisTU(Field("Half", "Priv"), SM));

  EXPECT_TRUE(classFullyDefinedHere(P.record("Closed")));
  EXPECT_FALSE(classFullyDefinedHere(P.record("Friendly")));
  EXPECT_FALSE(classFullyDefinedHere(P.record("Half")));
  EXPECT_TRUE(classFullyDefinedHere(P.record("MainClass")));
  EXPECT_TRUE(declaredOnlyInMainFile(P.var("MainGlobal"), SM));
  EXPECT_FALSE(declaredOnlyInMainFile(P.var("HeaderExtern"), SM));
}

TEST(Storage, EveryNamedUseVisibleHere) {
  Parsed P = parse(
      // main file
      "int MainGlobal;\n"
      "struct MainClass { static inline int Inline; static int Plain; };\n"
      "int MainClass::Plain;\n"
      "template <class T> struct MainTmpl { static inline T TInline; };\n"
      "int use() { return MainTmpl<int>::TInline; }\n",
      // header
      "extern int HeaderExtern;\n"
      "inline int shared() { static int SharedStatic; return SharedStatic; }\n"
      "int declaredOnly();\n"
      "struct Open { static inline int OpenInline; };\n");
  ASSERT_TRUE(P.AST);
  const SourceManager &SM = P.sm();
  EXPECT_TRUE(everyNamedUseVisibleHere(P.var("MainGlobal"), SM));
  // One object per program, named only in the inline function's body.
  EXPECT_FALSE(visibleOnlyInThisTU(P.var("SharedStatic"), SM));
  EXPECT_TRUE(everyNamedUseVisibleHere(P.var("SharedStatic"), SM));
  // An inline static member of a class defined in the main file.
  EXPECT_FALSE(visibleOnlyInThisTU(P.var("Inline"), SM));
  EXPECT_TRUE(everyNamedUseVisibleHere(P.var("Inline"), SM));
  EXPECT_TRUE(everyNamedUseVisibleHere(P.var("Plain"), SM));
  // ... but not of a class from a header, nor an extern global.
  EXPECT_FALSE(everyNamedUseVisibleHere(P.var("OpenInline"), SM));
  EXPECT_FALSE(everyNamedUseVisibleHere(P.var("HeaderExtern"), SM));
  EXPECT_FALSE(everyNamedUseVisibleHere(nullptr, SM));
}

} // namespace
