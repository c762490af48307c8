//===--- AstHelpersTest.cpp - leak-tidy unit tests ------------------------===//
//
// lib/core/AstHelpers: what ignoreTransparent peels under each mask,
// isMoveLike, enclosingLoop's two loop parts, forEachStmt's lambda policy,
// and the per-context CFG cache.
//
//===----------------------------------------------------------------------===//
#include "lib/core/AstHelpers.h"
#include "lib/core/FunctionCFG.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include "gtest/gtest.h"

using namespace clang;
using namespace clang::ast_matchers;
using namespace clang::leaklib;

namespace {

const char *Code = R"cpp(
namespace std {
template <class T> struct remove_reference { using type = T; };
template <class T> typename remove_reference<T>::type &&move(T &&t) {
  return static_cast<typename remove_reference<T>::type &&>(t);
}
}
struct Box { Box(); Box(const Box &); Box(Box &&); ~Box(); int v; };
Box make();
void take(Box);
long widen(int x) { return (long)(x); }
void user(int n) {
  Box a;
  take(std::move(a));   // moved
  take(Box(make()));    // copies and temporaries
  int *p = &n;
  int q = *p;
  for (int i = 0; i < n; ++i) {
    int inBody = i;
    (void)inBody;
  }
  while (n-- > 0) { }
  auto f = [&] { for (;;) { int inLambda = 0; (void)inLambda; break; } };
  f();
  (void)q;
}
)cpp";

struct AstHelpers : ::testing::Test {
  void SetUp() override {
    AST = tooling::buildASTFromCodeWithArgs(Code, {"-std=c++17"}, "t.cpp");
    ASSERT_TRUE(AST);
  }
  template <typename T, typename MatcherT> const T *first(MatcherT M) {
    auto R = match(M.bind("x"), AST->getASTContext());
    return R.empty() ? nullptr : R.front().template getNodeAs<T>("x");
  }
  const FunctionDecl *user() {
    return first<Decl>(functionDecl(hasName("user"), isDefinition()))
        ->getAsFunction();
  }
  ASTContext &ctx() { return AST->getASTContext(); }
  std::unique_ptr<ASTUnit> AST;
};

TEST_F(AstHelpers, IgnoreTransparentPeelsByMask) {
  // The first take(...) is take(std::move(a)): a move construction of the
  // parameter from the result of std::move.
  const auto *Take =
      first<CallExpr>(callExpr(callee(functionDecl(hasName("take")))));
  ASSERT_TRUE(Take);
  const Expr *MoveArg = Take->getArg(0);
  ASSERT_TRUE(MoveArg);
  const Expr *Peeled = ignoreTransparent(MoveArg, PeelValue);
  ASSERT_TRUE(isa<DeclRefExpr>(Peeled));
  EXPECT_EQ(cast<DeclRefExpr>(Peeled)->getDecl()->getName(), "a");
  // Without PeelMoves the std::move call stays.
  EXPECT_TRUE(
      isa<CallExpr>(ignoreTransparent(MoveArg, PeelTemporaries | PeelCopies)));

  const auto *CastRet = first<Expr>(cStyleCastExpr());
  ASSERT_TRUE(CastRet);
  EXPECT_TRUE(isa<CStyleCastExpr>(ignoreTransparent(CastRet, PeelNone)));
  EXPECT_TRUE(isa<DeclRefExpr>(ignoreTransparent(CastRet, PeelExplicitCasts)));

  const auto *Addr = first<Expr>(unaryOperator(hasOperatorName("&")));
  ASSERT_TRUE(Addr);
  EXPECT_TRUE(isa<UnaryOperator>(ignoreTransparent(Addr, PeelValue)));
  EXPECT_TRUE(isa<DeclRefExpr>(ignoreTransparent(Addr, PeelAddressOf)));
  EXPECT_EQ(ignoreTransparent(nullptr, PeelValue), nullptr);
}

TEST_F(AstHelpers, IsMoveLike) {
  const auto *Move =
      first<CallExpr>(callExpr(callee(functionDecl(hasName("move")))));
  const auto *Take =
      first<CallExpr>(callExpr(callee(functionDecl(hasName("take")))));
  ASSERT_TRUE(Move && Take);
  EXPECT_TRUE(isMoveLike(Move));
  EXPECT_FALSE(isMoveLike(Take));
  EXPECT_FALSE(isMoveLike(nullptr));
}

TEST_F(AstHelpers, EnclosingLoopBodyOrCondition) {
  const Stmt *Body = user()->getBody();
  const auto *InBody = first<Decl>(varDecl(hasName("inBody")));
  const Stmt *InBodyStmt =
      first<Stmt>(declStmt(has(varDecl(hasName("inBody")))));
  ASSERT_TRUE(InBody && InBodyStmt);
  const Stmt *Loop = enclosingLoop(InBodyStmt, ctx(), Body);
  ASSERT_TRUE(Loop);
  EXPECT_TRUE(isa<ForStmt>(Loop));

  // `i < n` is the for's condition: in the loop only for BodyAndCondition.
  const auto *Cond = first<Stmt>(binaryOperator(hasOperatorName("<")));
  ASSERT_TRUE(Cond);
  EXPECT_EQ(enclosingLoop(Cond, ctx(), Body, LoopPart::Body), nullptr);
  EXPECT_EQ(enclosingLoop(Cond, ctx(), Body, LoopPart::BodyAndCondition), Loop);

  // A loop inside a lambda: the lambda stops the walk up from outside it...
  const Stmt *InLambda =
      first<Stmt>(declStmt(has(varDecl(hasName("inLambda")))));
  ASSERT_TRUE(InLambda);
  const Stmt *LambdaLoop = enclosingLoop(InLambda, ctx(), Body);
  ASSERT_TRUE(LambdaLoop); // ...but its own loop is found.
  EXPECT_TRUE(isa<ForStmt>(LambdaLoop));
  EXPECT_NE(LambdaLoop, Loop);
  // The initializer of a variable declared in the body: through the VarDecl
  // (whose parent in the index is not a statement) to its DeclStmt.
  const Stmt *Init =
      cast<VarDecl>(cast<DeclStmt>(InBodyStmt)->getSingleDecl())->getInit();
  ASSERT_TRUE(Init);
  EXPECT_EQ(enclosingLoop(Init, ctx(), Body), Loop);
  // Not in any loop.
  EXPECT_EQ(enclosingLoop(Body, ctx(), Body), nullptr);

  // A variable's initializer (`int inBody = i;`: its parent is the VarDecl,
  // not a statement) is in the loop too.
  const auto *InitRef = first<Stmt>(declRefExpr(
      to(varDecl(hasName("i"))), hasAncestor(varDecl(hasName("inBody")))));
  ASSERT_TRUE(InitRef);
  EXPECT_EQ(enclosingLoop(InitRef, ctx(), Body), Loop);
}

TEST_F(AstHelpers, ForEachStmtLambdaPolicy) {
  const Stmt *Body = user()->getBody();
  auto CountLoops = [&](LambdaPolicy P) {
    unsigned N = 0;
    forEachStmt(
        Body,
        [&](const Stmt *S) {
          N += isa<ForStmt, WhileStmt>(S);
          return Walk::Continue;
        },
        P);
    return N;
  };
  EXPECT_EQ(CountLoops(LambdaPolicy::Skip), 2u);  // for + while
  EXPECT_EQ(CountLoops(LambdaPolicy::Enter), 3u); // + the lambda's for
  // Stop ends the walk; SkipChildren skips a subtree.
  unsigned Seen = 0;
  EXPECT_FALSE(forEachStmt(
      Body,
      [&](const Stmt *S) {
        ++Seen;
        return isa<ForStmt>(S) ? Walk::Stop : Walk::Continue;
      },
      LambdaPolicy::Enter));
  EXPECT_GT(Seen, 1u);
  unsigned Top = 0;
  forEachStmt(
      Body,
      [&](const Stmt *S) {
        ++Top;
        return Walk::SkipChildren;
      },
      LambdaPolicy::Enter);
  EXPECT_EQ(Top, 1u);
  EXPECT_TRUE(anyStmt(
      Body, [](const Stmt *S) { return isa<WhileStmt>(S); },
      LambdaPolicy::Skip));
  EXPECT_FALSE(anyStmt(
      Body, [](const Stmt *S) { return isa<DoStmt>(S); }, LambdaPolicy::Enter));
}

TEST_F(AstHelpers, CFGCacheBuildsOncePerContext) {
  const FunctionDecl *FD = user();
  FunctionCFG *A = FunctionCFG::get(FD, FD->getBody(), ctx());
  ASSERT_TRUE(A);
  EXPECT_EQ(FunctionCFG::get(FD, FD->getBody(), ctx()), A);
  EXPECT_EQ(FunctionCFG::get(nullptr, nullptr, ctx()), nullptr);
  // A template pattern is not analysed (dependent code): null, cached.
  EXPECT_EQ(&A->context(), &ctx());
}

} // namespace

namespace {
TEST(AstHelpersInitializerLists, PeelInitializerLists) {
  auto AST = tooling::buildASTFromCodeWithArgs(R"cpp(
namespace std {
template <class T> struct initializer_list {
  const T *b; decltype(sizeof(0)) n;
};
}
void g(std::initializer_list<int>);
void h() { g({1, 2}); }
)cpp",
                                               {"-std=c++17"}, "t.cpp");
  ASSERT_TRUE(AST);
  auto R = match(callExpr(callee(functionDecl(hasName("g")))).bind("c"),
                 AST->getASTContext());
  ASSERT_EQ(R.size(), 1u);
  const Expr *Arg = R[0].getNodeAs<CallExpr>("c")->getArg(0);
  EXPECT_FALSE(isa<InitListExpr>(ignoreTransparent(Arg, PeelTemporaries)));
  EXPECT_TRUE(isa<InitListExpr>(
      ignoreTransparent(Arg, PeelTemporaries | PeelInitializerLists)));
}
} // namespace
