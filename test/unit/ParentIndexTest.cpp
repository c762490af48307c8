//===--- ParentIndexTest.cpp - leak-tidy unit tests -----------------------===//
//
// The user-code parent index: same parents as Clang's ParentMapContext for
// every statement, declaration and constructor initializer of user code;
// nothing for system headers; the enclosing function (lambdas included);
// template instantiations; and the matchers built on it.
//
//===----------------------------------------------------------------------===//
#include "lib/core/ParentIndex.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include "gtest/gtest.h"
#include <set>

using namespace clang;
using namespace clang::ast_matchers;
using namespace clang::leaklib;

namespace {

const char *SystemHeader = R"cpp(
#pragma once
namespace sys {
inline int twice(int x) { int y = x * 2; return y; }
template <class T> struct box {
  T v;
  box(T x) : v(x) {}
  T get() const { return v + 0; }
};
}
)cpp";

const char *UserCode = R"cpp(
#include <sys.h>
struct Holder {
  int a;
  int b = 3;
  Holder(int x) : a(x + 1) {}
};
template <class T> T add(T a, T b) { T r = a + b; return r; }
int user(int n) {
  int s = 0;
  for (int i = 0; i < n; ++i)
    s += sys::twice(i);
  auto f = [s](int k) { return k * s; };
  sys::box<int> bx(n);
  Holder h(bx.get());
  return f(n) + add(s, 2) + h.b;
}
)cpp";

std::unique_ptr<ASTUnit> build() {
  return tooling::buildASTFromCodeWithArgs(
      UserCode, {"-std=c++17", "-isystem", "/sysinc"}, "user.cpp",
      "leak-tidy-unit", std::make_shared<PCHContainerOperations>(),
      tooling::getClangStripDependencyFileAdjuster(),
      {{"/sysinc/sys.h", SystemHeader}});
}

bool inSystemHeader(ASTContext &Ctx, SourceLocation L) {
  const SourceManager &SM = Ctx.getSourceManager();
  return L.isValid() && SM.isInSystemHeader(SM.getExpansionLoc(L));
}

template <typename T>
std::vector<const T *>
all(ASTContext &Ctx, const ast_matchers::internal::BindableMatcher<T> &M) {
  std::vector<const T *> R;
  for (const BoundNodes &B : match(traverse(TK_AsIs, M.bind("n")), Ctx))
    R.push_back(B.getNodeAs<T>("n"));
  return R;
}

// Every user-code node whose Clang parents are statements, declarations or
// constructor initializers has exactly those parents in the index.
TEST(ParentIndexTest, AgreesWithClangOnUserCode) {
  auto AST = build();
  ASSERT_TRUE(AST);
  ASTContext &Ctx = AST->getASTContext();
  const ParentIndex &Index = ParentIndex::get(Ctx);
  unsigned Compared = 0, ThroughInit = 0;
  auto Compare = [&](const DynTypedNode &N, SourceLocation L) {
    if (inSystemHeader(Ctx, L))
      return;
    DynTypedNodeList Clang = Ctx.getParents(N);
    std::vector<DynTypedNode> Want;
    for (const DynTypedNode &P : Clang)
      if (P.get<Stmt>() || P.get<Decl>() || P.get<CXXCtorInitializer>())
        Want.push_back(P);
    if (Want.size() != Clang.size())
      return; // a TypeLoc or other parent the index does not model
    llvm::ArrayRef<DynTypedNode> Got = Index.parents(N);
    // One deliberate difference: a member initializer's expression has the
    // CXXCtorInitializer as its parent (Clang skips to the constructor).
    if (Got.size() == 1 && Got[0].get<CXXCtorInitializer>()) {
      ASSERT_EQ(Want.size(), 1u);
      EXPECT_TRUE(Want[0].get<CXXConstructorDecl>());
      llvm::ArrayRef<DynTypedNode> Up = Index.parents(Got[0]);
      ASSERT_EQ(Up.size(), 1u);
      EXPECT_TRUE(Up[0] == Want[0]);
      ++ThroughInit;
      return;
    }
    ASSERT_EQ(Want.size(), Got.size()) << N.getNodeKind().asStringRef().str();
    for (size_t I = 0; I < Want.size(); ++I)
      EXPECT_TRUE(Want[I] == Got[I])
          << N.getNodeKind().asStringRef().str()
          << " clang: " << Want[I].getNodeKind().asStringRef().str()
          << " index: " << Got[I].getNodeKind().asStringRef().str() << " at "
          << L.printToString(Ctx.getSourceManager());
    ++Compared;
  };
  for (const Stmt *S : all<Stmt>(Ctx, stmt()))
    Compare(DynTypedNode::create(*S), S->getBeginLoc());
  for (const Decl *D : all<Decl>(Ctx, decl()))
    Compare(DynTypedNode::create(*D), D->getLocation());
  // a(x + 1) written; b's default initializer used by Holder(int).
  EXPECT_EQ(ThroughInit, 2u);
  EXPECT_GT(Compared, 100u);
}

TEST(ParentIndexTest, SystemHeadersHaveNoParents) {
  auto AST = build();
  ASSERT_TRUE(AST);
  ASTContext &Ctx = AST->getASTContext();
  const ParentIndex &Index = ParentIndex::get(Ctx);
  unsigned System = 0;
  for (const Stmt *S : all<Stmt>(Ctx, stmt()))
    if (inSystemHeader(Ctx, S->getBeginLoc())) {
      ++System;
      EXPECT_TRUE(Index.parents(*S).empty());
      EXPECT_FALSE(Ctx.getParents(*S).empty());
    }
  EXPECT_GT(System, 5u);
}

TEST(ParentIndexTest, EnclosingFunction) {
  auto AST = build();
  ASSERT_TRUE(AST);
  ASTContext &Ctx = AST->getASTContext();
  const ParentIndex &Index = ParentIndex::get(Ctx);
  // In the body of user().
  auto Loop = all<Stmt>(Ctx, forStmt());
  ASSERT_EQ(Loop.size(), 1u);
  const FunctionDecl *FD = Index.enclosingFunction(*Loop[0]);
  ASSERT_TRUE(FD);
  EXPECT_EQ(FD->getName(), "user");
  // In a lambda body: the call operator.
  auto Mul = all<Stmt>(Ctx, binaryOperator(hasOperatorName("*"),
                                           hasLHS(ignoringImpCasts(declRefExpr(
                                               to(varDecl(hasName("k"))))))));
  ASSERT_EQ(Mul.size(), 1u);
  FD = Index.enclosingFunction(*Mul[0]);
  ASSERT_TRUE(FD);
  EXPECT_EQ(FD->getOverloadedOperator(), OO_Call);
  // A default member initializer is in no function.
  auto B = all<Decl>(Ctx, fieldDecl(hasName("b")));
  ASSERT_EQ(B.size(), 1u);
  const Expr *Three = cast<FieldDecl>(B[0])->getInClassInitializer();
  ASSERT_TRUE(Three);
  EXPECT_EQ(Index.enclosingFunction(*Three), nullptr);
}

TEST(ParentIndexTest, TemplateInstantiations) {
  auto AST = build();
  ASSERT_TRUE(AST);
  ASTContext &Ctx = AST->getASTContext();
  const ParentIndex &Index = ParentIndex::get(Ctx);
  // `a + b` in add<T>: one in the pattern, one in add<int>.
  auto Plus =
      all<Stmt>(Ctx, binaryOperator(hasOperatorName("+"),
                                    hasAncestor(functionDecl(hasName("add")))));
  unsigned Pattern = 0, Instance = 0;
  for (const Stmt *S : Plus) {
    bool Clang = !match(stmt(isInTemplateInstantiation()), *S, Ctx).empty();
    EXPECT_EQ(Index.inTemplateInstantiation(*S), Clang);
    (Clang ? Instance : Pattern) += 1;
  }
  EXPECT_EQ(Pattern, 1u);
  EXPECT_EQ(Instance, 1u);
}

TEST(ParentIndexTest, Matchers) {
  auto AST = build();
  ASSERT_TRUE(AST);
  ASTContext &Ctx = AST->getASTContext();
  // match() over a context tries the matcher on every node once.
  auto InUser = match(
      returnStmt(forCallableInUserCode(functionDecl().bind("fn"))).bind("r"),
      Ctx);
  std::set<std::string> Names;
  for (const BoundNodes &B : InUser)
    Names.insert(B.getNodeAs<FunctionDecl>("fn")->getNameAsString());
  // user, the lambda's operator(), add (pattern and add<int>); nothing from
  // the system header (twice, box::get).
  EXPECT_EQ(Names, (std::set<std::string>{"add", "operator()", "user"}));
  auto Instantiated =
      match(returnStmt(inTemplateInstantiation()).bind("r"), Ctx);
  EXPECT_EQ(Instantiated.size(), 1u); // return r; in add<int>
}

TEST(ParentIndexTest, OneIndexPerContextFreedWithIt) {
  auto A = build();
  auto B = build();
  ASSERT_TRUE(A && B);
  const ParentIndex &IA = ParentIndex::get(A->getASTContext());
  EXPECT_EQ(&IA, &ParentIndex::get(A->getASTContext()));
  EXPECT_NE(&IA, &ParentIndex::get(B->getASTContext()));
  EXPECT_GT(IA.size(), 0u);
  A.reset(); // must not leave a dangling entry (ASan would see a reuse)
  auto C = build();
  ASSERT_TRUE(C);
  EXPECT_GT(ParentIndex::get(C->getASTContext()).size(), 0u);
}

} // namespace
