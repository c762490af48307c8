//===--- LifetimeEngineTest.cpp - leak-tidy unit tests --------------------===//
//
// The lifetime engine on small functions: straight line, branches, loops,
// switch, early return, goto, try/catch, may-throw calls, noreturn calls,
// lambdas, re-acquisition in a loop, and the size budget.
//
//===----------------------------------------------------------------------===//
#include "lib/core/LifetimeEngine.h"
#include "lib/core/FunctionCFG.h"
#include "lib/core/VarUses.h"
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

const char *Prelude = R"cpp(
struct Handle { Handle() noexcept; ~Handle(); };
void release(Handle &) noexcept;
void escape(Handle &) noexcept;
void mayThrow();
bool cond() noexcept;
[[noreturn]] void die() noexcept;
struct Error {};
int open_() noexcept;
void close_(int) noexcept;
int create(Handle *) noexcept;
Handle *make() noexcept;
void destroy(Handle *) noexcept;
bool unsure() noexcept;
void release_all() noexcept;
void refill() noexcept;
struct Owner { explicit Owner(Handle &) noexcept; ~Owner(); void dismiss() noexcept; };
)cpp";

/// What a test asks of the engine and of TestModel.
struct Config {
  bool Exceptions = false;
  unsigned MaxVisits = 200000;
  bool EscapingTerminates = false;
  FailureConvention Failure = FailureConvention::None;
  /// The acquisition: the first call to this function (default: h's init).
  const char *AcquireCall = nullptr;
  /// The acquisition is the first `if` statement (a terminator start).
  bool StartAtIf = false;
  /// TestModel: a parameter named in a condition is a stable condition.
  bool Stable = false;
  /// TestModel: `Owner g(h)` adopts h; `g.dismiss()` disowns.
  bool Adopt = false;
};

/// Releases on release(h) / close_(h) / destroy(h) / release_all(), escapes
/// on any other call taking h and on lambda capture; per Config, an `Owner`
/// adopts h, a branch on unsure() is Unsure, and parameters are stable.
class TestModel : public ResourceModel {
public:
  TestModel(const VarDecl *V, ParentMap &PM, const Config &Opts)
      : V(V), PM(PM), Opts(Opts) {}
  Effect effectOf(const Stmt *S) override {
    if (const auto *CE = dyn_cast<CallExpr>(S))
      if (calleeName(CE) == "release_all")
        return ReleasesAll;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S))
      if (MC->getMethodDecl() && MC->getMethodDecl()->getName() == "dismiss")
        return Disowns;
    VarUse U = classifyUse(S, V, PM);
    llvm::StringRef N = calleeName(U.Call);
    if (U.K == VarUse::Argument &&
        (N == "release" || N == "close_" || N == "destroy"))
      return Releases;
    if (U.K == VarUse::Argument || U.K == VarUse::Captured ||
        U.K == VarUse::Moved)
      return Escapes;
    return NoEffect;
  }
  EdgeVerdict edgeVerdict(const BranchEdge &E) override {
    const auto *CE = dyn_cast_or_null<CallExpr>(
        E.Condition ? E.Condition->IgnoreParenImpCasts() : nullptr);
    if (CE && calleeName(CE) == "unsure")
      return EdgeVerdict::Unsure;
    return ResourceModel::edgeVerdict(E);
  }
  const VarDecl *adopts(const Stmt *S) override {
    const auto *DS = dyn_cast<DeclStmt>(S);
    if (!Opts.Adopt || !DS || !DS->isSingleDecl())
      return nullptr;
    const auto *G = dyn_cast<VarDecl>(DS->getSingleDecl());
    const auto *Ctor =
        G ? dyn_cast_or_null<CXXConstructExpr>(G->getInit()) : nullptr;
    if (Ctor && Ctor->getNumArgs() == 1 && refersTo(Ctor->getArg(0), V))
      return G;
    return nullptr;
  }
  bool isStableCondition(const Expr *Cond) override {
    const auto *DRE = dyn_cast<DeclRefExpr>(Cond->IgnoreParenImpCasts());
    return Opts.Stable && DRE && isa<ParmVarDecl>(DRE->getDecl());
  }

private:
  const VarDecl *V;
  ParentMap &PM;
  const Config &Opts;
};

struct Outcome {
  LifetimeResult::Outcome Result = LifetimeResult::GaveUp;
  std::string Kind;
  std::vector<PathStep::Kind> Steps;
  std::vector<unsigned> Lines; // relative to the test body's first line
};

/// Fills \p Out from a leaking path: the kind of exit in words, the steps
/// and their lines relative to the test body.
void record(const LeakPath &P, const SourceManager &SM, Outcome &Out) {
  switch (P.Exit) {
  case LeakPath::OnThrow:
  case LeakPath::OnMayThrow:
    Out.Kind = "exception";
    break;
  case LeakPath::OnReacquire:
    Out.Kind = "reacquire";
    break;
  default:
    Out.Kind = "exit";
    break;
  }
  unsigned PreludeLines = llvm::StringRef(Prelude).count('\n');
  for (const PathStep &S : P.Steps) {
    Out.Steps.push_back(S.K);
    unsigned L = S.Loc.isValid() ? SM.getSpellingLineNumber(S.Loc) : 0;
    Out.Lines.push_back(L > PreludeLines ? L - PreludeLines : 0);
  }
}

/// Runs the engine on function `f` in \p Body, for the local `h`.
Outcome runWith(const std::string &Body, const Config &Opts) {
  std::string Code = std::string(Prelude) + Body;
  std::unique_ptr<ASTUnit> AST = tooling::buildASTFromCodeWithArgs(
      Code, {"-std=c++17", "-fexceptions", "-fcxx-exceptions"}, "input.cpp");
  Outcome Out;
  if (!AST)
    return Out;
  ASTContext &Ctx = AST->getASTContext();
  auto Fns = match(functionDecl(hasName("f"), isDefinition()).bind("f"), Ctx);
  if (Fns.empty())
    return Out;
  const auto *F = Fns[0].getNodeAs<FunctionDecl>("f");
  auto Vars = match(
      functionDecl(hasDescendant(varDecl(hasName("h")).bind("h"))), *F, Ctx);
  if (Vars.empty())
    return Out;
  const auto *H = Vars[0].getNodeAs<VarDecl>("h");
  std::unique_ptr<FunctionCFG> CFG = FunctionCFG::build(F, F->getBody(), Ctx);
  if (!CFG)
    return Out;
  LifetimeQuery Q;
  Q.Acquire = H->getInit();
  if (Opts.AcquireCall) {
    auto Calls =
        match(functionDecl(hasDescendant(
                  callExpr(callee(functionDecl(hasName(Opts.AcquireCall))))
                      .bind("c"))),
              *F, Ctx);
    Q.Acquire = Calls.empty() ? nullptr : Calls[0].getNodeAs<CallExpr>("c");
  }
  if (Opts.StartAtIf) {
    auto Ifs = match(functionDecl(hasDescendant(ifStmt().bind("i"))), *F, Ctx);
    Q.Acquire = Ifs.empty() ? nullptr : Ifs[0].getNodeAs<IfStmt>("i");
  }
  Q.Holder = H;
  Q.AnalyzeExceptionPaths = Opts.Exceptions;
  Q.EscapingExceptionsTerminate = Opts.EscapingTerminates;
  Q.MaxVisits = Opts.MaxVisits;
  Q.Failure = Opts.Failure;
  TestModel M(H, CFG->parents(), Opts);
  LifetimeResult R = analyzeLifetime(*CFG, Q, M);
  Out.Result = R.K;
  EXPECT_EQ(R.Path.has_value(), R.K == LifetimeResult::Leaked);
  if (R.Path)
    record(*R.Path, Ctx.getSourceManager(), Out);
  return Out;
}

Outcome run(const std::string &Body, bool Exceptions = false,
            unsigned MaxVisits = 200000, bool EscapingTerminates = false) {
  Config Opts;
  Opts.Exceptions = Exceptions;
  Opts.MaxVisits = MaxVisits;
  Opts.EscapingTerminates = EscapingTerminates;
  return runWith(Body, Opts);
}

bool hasStep(const Outcome &O, PathStep::Kind K) {
  return std::find(O.Steps.begin(), O.Steps.end(), K) != O.Steps.end();
}

TEST(LifetimeEngine, StraightLineRelease) {
  Outcome O = run("void f() {\n Handle h;\n release(h);\n}\n");
  EXPECT_EQ(O.Result, LifetimeResult::Released);
}

TEST(LifetimeEngine, StraightLineLeak) {
  Outcome O = run("void f() {\n Handle h;\n cond();\n}\n");
  ASSERT_EQ(O.Result, LifetimeResult::Leaked);
  EXPECT_EQ(O.Kind, "exit");
  EXPECT_EQ(O.Steps.front(), PathStep::Acquire);
  EXPECT_EQ(O.Steps.back(), PathStep::ScopeEnd);
  EXPECT_EQ(O.Lines.front(), 2u);
  EXPECT_EQ(O.Lines.back(), 4u); // the closing brace
}

TEST(LifetimeEngine, IfElseBothRelease) {
  Outcome O = run("void f() {\n Handle h;\n if (cond()) release(h);\n"
                  " else release(h);\n}\n");
  EXPECT_EQ(O.Result, LifetimeResult::Released);
}

TEST(LifetimeEngine, IfWithoutElseLeaksOnFalseBranch) {
  Outcome O = run("void f() {\n Handle h;\n if (cond())\n  release(h);\n}\n");
  ASSERT_EQ(O.Result, LifetimeResult::Leaked);
  ASSERT_TRUE(hasStep(O, PathStep::Branch));
  auto It = std::find(O.Steps.begin(), O.Steps.end(), PathStep::Branch);
  EXPECT_EQ(O.Lines[It - O.Steps.begin()], 3u);
}

TEST(LifetimeEngine, EarlyReturnLeaks) {
  Outcome O = run("void f() {\n Handle h;\n if (cond())\n  return;\n"
                  " release(h);\n}\n");
  ASSERT_EQ(O.Result, LifetimeResult::Leaked);
  ASSERT_TRUE(hasStep(O, PathStep::Return));
  auto It = std::find(O.Steps.begin(), O.Steps.end(), PathStep::Return);
  EXPECT_EQ(O.Lines[It - O.Steps.begin()], 4u);
}

TEST(LifetimeEngine, ReturnAfterReleaseIsFine) {
  Outcome O = run("int f() {\n Handle h;\n release(h);\n if (cond())\n"
                  "  return 1;\n return 0;\n}\n");
  EXPECT_EQ(O.Result, LifetimeResult::Released);
}

TEST(LifetimeEngine, BreakOutOfScopeInLoop) {
  Outcome O = run("void f() {\n for (;;) {\n  Handle h;\n  if (cond())\n"
                  "   break;\n  release(h);\n }\n}\n");
  ASSERT_EQ(O.Result, LifetimeResult::Leaked);
  EXPECT_TRUE(hasStep(O, PathStep::Break));
}

TEST(LifetimeEngine, ContinueSkipsRelease) {
  Outcome O = run("void f(int n) {\n for (int i = 0; i < n; ++i) {\n"
                  "  Handle h;\n  if (cond())\n   continue;\n  release(h);\n"
                  " }\n}\n");
  ASSERT_EQ(O.Result, LifetimeResult::Leaked);
  EXPECT_TRUE(hasStep(O, PathStep::Continue));
}

TEST(LifetimeEngine, LoopReleasingEachTurn) {
  Outcome O = run("void f(int n) {\n while (cond()) {\n  Handle h;\n"
                  "  release(h);\n }\n}\n");
  EXPECT_EQ(O.Result, LifetimeResult::Released);
}

TEST(LifetimeEngine, SwitchWithMissingCase) {
  Outcome O = run("void f(int k) {\n Handle h;\n switch (k) {\n case 1:\n"
                  "  release(h);\n  break;\n default:\n  break;\n }\n}\n");
  ASSERT_EQ(O.Result, LifetimeResult::Leaked);
  EXPECT_TRUE(hasStep(O, PathStep::Branch));
}

TEST(LifetimeEngine, SwitchAllCasesRelease) {
  Outcome O = run("void f(int k) {\n Handle h;\n switch (k) {\n case 1:\n"
                  "  release(h);\n  break;\n default:\n  release(h);\n }\n}\n");
  EXPECT_EQ(O.Result, LifetimeResult::Released);
}

TEST(LifetimeEngine, GotoPastRelease) {
  Outcome O = run("void f() {\n {\n  Handle h;\n  if (cond())\n   goto out;\n"
                  "  release(h);\n }\nout:\n return;\n}\n");
  ASSERT_EQ(O.Result, LifetimeResult::Leaked);
  EXPECT_TRUE(hasStep(O, PathStep::Goto));
}

TEST(LifetimeEngine, ThrowLeavesScope) {
  Outcome O = run("void f() {\n Handle h;\n if (cond())\n  throw Error();\n"
                  " release(h);\n}\n");
  ASSERT_EQ(O.Result, LifetimeResult::Leaked);
  EXPECT_EQ(O.Kind, "exception");
  EXPECT_TRUE(hasStep(O, PathStep::Throw));
}

TEST(LifetimeEngine, ThrowCaughtAndReleasedInHandler) {
  Outcome O =
      run("void f() {\n Handle h;\n try {\n  if (cond()) throw Error();\n"
          "  release(h);\n } catch (...) {\n  release(h);\n  throw;\n }\n}\n");
  EXPECT_EQ(O.Result, LifetimeResult::Released);
}

TEST(LifetimeEngine, ThrowInsideTryThatOwnsTheHolder) {
  // h lives in the try block: unwinding destroys it before the handler.
  Outcome O =
      run("void f() {\n try {\n  Handle h;\n  if (cond()) throw Error();\n"
          "  release(h);\n } catch (...) {\n }\n}\n");
  ASSERT_EQ(O.Result, LifetimeResult::Leaked);
  EXPECT_EQ(O.Kind, "exception");
}

TEST(LifetimeEngine, MayThrowCallOnlyWithOption) {
  std::string Code = "void f() {\n Handle h;\n mayThrow();\n release(h);\n}\n";
  EXPECT_EQ(run(Code, /*Exceptions=*/false).Result, LifetimeResult::Released);
  Outcome O = run(Code, /*Exceptions=*/true);
  ASSERT_EQ(O.Result, LifetimeResult::Leaked);
  EXPECT_EQ(O.Kind, "exception");
  EXPECT_EQ(O.Steps.back(), PathStep::MayThrow);
  EXPECT_EQ(O.Lines.back(), 3u);
}

// In main() or a noexcept function an exception leaving the function ends the
// process anyway: no leak. One caught inside, after the holder died, still is.
TEST(LifetimeEngine, EscapingExceptionsTerminate) {
  std::string MayThrow =
      "void f() {\n Handle h;\n mayThrow();\n release(h);\n}\n";
  EXPECT_EQ(run(MayThrow, true, 200000, true).Result, LifetimeResult::Released);
  std::string Throw = "void f() {\n Handle h;\n if (cond())\n  throw Error();\n"
                      " release(h);\n}\n";
  EXPECT_EQ(run(Throw, true, 200000, true).Result, LifetimeResult::Released);
  EXPECT_EQ(run(Throw, true, 200000, false).Result, LifetimeResult::Leaked);
  std::string Caught =
      "void f() {\n try {\n  Handle h;\n  mayThrow();\n  release(h);\n"
      " } catch (...) {\n }\n}\n";
  Outcome O = run(Caught, true, 200000, true);
  ASSERT_EQ(O.Result, LifetimeResult::Leaked);
  EXPECT_EQ(O.Steps.back(), PathStep::MayThrow);
  std::string ThrownCaught =
      "void f() {\n try {\n  Handle h;\n  if (cond()) throw Error();\n"
      "  release(h);\n } catch (...) {\n }\n}\n";
  EXPECT_EQ(run(ThrownCaught, true, 200000, true).Result,
            LifetimeResult::Leaked);
}

TEST(LifetimeEngine, NoexceptCallsAreNotExceptionPaths) {
  Outcome O = run("void f() {\n Handle h;\n cond();\n release(h);\n}\n", true);
  EXPECT_EQ(O.Result, LifetimeResult::Released);
}

TEST(LifetimeEngine, MayThrowCaughtAndReleased) {
  Outcome O =
      run("void f() {\n Handle h;\n try {\n  mayThrow();\n } catch (...) {\n"
          "  release(h);\n  throw;\n }\n release(h);\n}\n",
          true);
  EXPECT_EQ(O.Result, LifetimeResult::Released);
}

TEST(LifetimeEngine, MayThrowCaughtButHandlerForgets) {
  Outcome O =
      run("void f() {\n Handle h;\n try {\n  mayThrow();\n } catch (...) {\n"
          "  return;\n }\n release(h);\n}\n",
          true);
  ASSERT_EQ(O.Result, LifetimeResult::Leaked);
  EXPECT_TRUE(hasStep(O, PathStep::Handler));
}

TEST(LifetimeEngine, NoReturnPathIsNotALeak) {
  Outcome O =
      run("void f() {\n Handle h;\n if (cond())\n  die();\n release(h);\n}\n");
  EXPECT_EQ(O.Result, LifetimeResult::Released);
}

TEST(LifetimeEngine, LambdaCaptureEscapes) {
  Outcome O =
      run("template <class F> void keep(F) noexcept;\n"
          "void f() {\n Handle h;\n auto L = [&h] { release(h); };\n}\n");
  EXPECT_EQ(O.Result, LifetimeResult::Released);
}

TEST(LifetimeEngine, EscapeEndsTracking) {
  Outcome O =
      run("void f() {\n Handle h;\n if (cond()) { escape(h); return; }\n"
          " release(h);\n}\n");
  EXPECT_EQ(O.Result, LifetimeResult::Released);
}

TEST(LifetimeEngine, BudgetGivesUpQuietly) {
  std::string Body = "void f() {\n Handle h;\n";
  for (int I = 0; I < 200; ++I)
    Body += " cond();\n";
  Body += "}\n";
  Outcome O = run(Body, false, /*MaxVisits=*/50);
  EXPECT_EQ(O.Result, LifetimeResult::GaveUp);
  EXPECT_EQ(O.Kind, "");
}

TEST(LifetimeEngine, LargeFunctionIsLinear) {
  // 2,000 branches with a release at the end: one visit per element.
  std::string Body = "void f() {\n Handle h;\n";
  for (int I = 0; I < 2000; ++I)
    Body += " if (cond()) cond(); else cond();\n";
  Body += " release(h);\n}\n";
  Outcome O = run(Body, false, /*MaxVisits=*/200000);
  EXPECT_EQ(O.Result, LifetimeResult::Released);
}

//===-- Edge feasibility: the acquisition's own failure ----------------===//

Config failing(FailureConvention C, const char *Call = nullptr) {
  Config S;
  S.Failure = C;
  S.AcquireCall = Call;
  return S;
}

TEST(LifetimeEngineFailure, NegativeFdHoldsNothing) {
  std::string Code = "void f() {\n int h = open_();\n if (h < 0)\n  return;\n"
                     " close_(h);\n}\n";
  // Without the convention, the early return is a leaking path.
  Outcome Old = run(Code);
  ASSERT_EQ(Old.Result, LifetimeResult::Leaked);
  EXPECT_TRUE(hasStep(Old, PathStep::Return));
  EXPECT_EQ(runWith(Code, failing(FailureConvention::NegativeValue)).Result,
            LifetimeResult::Released);
  // Other spellings of the same test.
  for (const char *Test : {"h == -1", "-1 == h", "0 > h", "h <= -1"})
    EXPECT_EQ(runWith("void f() {\n int h = open_();\n if (" +
                          std::string(Test) + ")\n  return;\n close_(h);\n}\n",
                      failing(FailureConvention::NegativeValue))
                  .Result,
              LifetimeResult::Released)
        << Test;
  // The false edge of a success test is the failure edge.
  for (const char *Test : {"h >= 0", "h != -1", "h > -1"})
    EXPECT_EQ(runWith("void f() {\n int h = open_();\n if (" +
                          std::string(Test) + ")\n  close_(h);\n}\n",
                      failing(FailureConvention::NegativeValue))
                  .Result,
              LifetimeResult::Released)
        << Test;
}

TEST(LifetimeEngineFailure, TestsThatDoNotMeanFailureStillLeak) {
  // fd 0 is a valid descriptor: `if (h)` says nothing about failure.
  for (const char *Test : {"h", "h > 0", "h == 3", "cond()"})
    EXPECT_EQ(runWith("void f() {\n int h = open_();\n if (" +
                          std::string(Test) + ")\n  return;\n close_(h);\n}\n",
                      failing(FailureConvention::NegativeValue))
                  .Result,
              LifetimeResult::Leaked)
        << Test;
  // A loop on the result is no failure test.
  EXPECT_EQ(runWith("void f() {\n int h = open_();\n while (h < 0)\n"
                    "  return;\n close_(h);\n}\n",
                    failing(FailureConvention::NegativeValue))
                .Result,
            LifetimeResult::Leaked);
}

TEST(LifetimeEngineFailure, AnotherFeasiblePathStillLeaks) {
  Outcome O = runWith("void f() {\n int h = open_();\n if (h < 0)\n  return;\n"
                      " if (cond())\n  return;\n close_(h);\n}\n",
                      failing(FailureConvention::NegativeValue));
  ASSERT_EQ(O.Result, LifetimeResult::Leaked);
  auto It = std::find(O.Steps.begin(), O.Steps.end(), PathStep::Return);
  ASSERT_NE(It, O.Steps.end());
  EXPECT_EQ(O.Lines[It - O.Steps.begin()], 6u); // not the failure return
}

TEST(LifetimeEngineFailure, StatusOfASpawnIntoAnOutParameter) {
  Config S = failing(FailureConvention::NonZeroStatus, "create");
  for (const char *Test :
       {"create(&h) != 0", "create(&h)", "create(&h) < 0", "0 != create(&h)"})
    EXPECT_EQ(runWith("void f() {\n Handle h;\n if (" + std::string(Test) +
                          ")\n  return;\n release(h);\n}\n",
                      S)
                  .Result,
              LifetimeResult::Released)
        << Test;
  // The result kept in a variable, or assigned in the condition.
  EXPECT_EQ(runWith("void f() {\n Handle h;\n int rc = create(&h);\n if (rc)\n"
                    "  return;\n release(h);\n}\n",
                    S)
                .Result,
            LifetimeResult::Released);
  EXPECT_EQ(runWith("void f() {\n Handle h;\n int rc;\n"
                    " if ((rc = create(&h)) != 0)\n  return;\n release(h);\n"
                    "}\n",
                    S)
                .Result,
            LifetimeResult::Released);
  EXPECT_EQ(runWith("void f() {\n Handle h;\n if (create(&h) == 0)\n"
                    "  release(h);\n}\n",
                    S)
                .Result,
            LifetimeResult::Released);
  // `rc <= 0` holds for success too: its true edge is no failure edge.
  EXPECT_EQ(runWith("void f() {\n Handle h;\n if (create(&h) <= 0)\n"
                    "  return;\n release(h);\n}\n",
                    S)
                .Result,
            LifetimeResult::Leaked);
  // ... but its false edge (rc > 0) is.
  EXPECT_EQ(runWith("void f() {\n Handle h;\n if (create(&h) <= 0)\n"
                    "  release(h);\n}\n",
                    S)
                .Result,
            LifetimeResult::Released);
}

TEST(LifetimeEngineFailure, NullPointer) {
  Config S = failing(FailureConvention::NullPointer);
  for (const char *Test : {"!h", "h == nullptr", "nullptr == h", "h == 0"})
    EXPECT_EQ(runWith("void f() {\n Handle *h = make();\n if (" +
                          std::string(Test) + ")\n  return;\n destroy(h);\n}\n",
                      S)
                  .Result,
              LifetimeResult::Released)
        << Test;
  EXPECT_EQ(runWith("void f() {\n Handle *h = make();\n if (h)\n"
                    "  destroy(h);\n}\n",
                    S)
                .Result,
            LifetimeResult::Released);
  // Without the convention: the null branch leaks.
  EXPECT_EQ(run("void f() {\n Handle *h = make();\n if (h)\n  destroy(h);\n}\n")
                .Result,
            LifetimeResult::Leaked);
}

TEST(LifetimeEngineFailure, FailureTestInAnOrCondition) {
  // The left side of || is a terminator of its own: its true edge fails.
  Outcome O = runWith("void f() {\n int h = open_();\n if (h < 0 || cond())\n"
                      "  return;\n close_(h);\n}\n",
                      failing(FailureConvention::NegativeValue));
  // cond() true still returns holding h.
  ASSERT_EQ(O.Result, LifetimeResult::Leaked);
  EXPECT_TRUE(hasStep(O, PathStep::Return));
  // h < 0 returns without a close: a leak unless it is the failure edge.
  std::string Code = "void f() {\n int h = open_();\n if (h < 0 || h > 9)\n"
                     "  return;\n close_(h);\n}\n";
  EXPECT_EQ(run(Code).Result, LifetimeResult::Leaked);
  Outcome Or = runWith(Code, failing(FailureConvention::NegativeValue));
  EXPECT_EQ(Or.Result, LifetimeResult::Leaked); // h > 9 is no failure
  std::string Closed =
      "void f() {\n int h = open_();\n if (h < 0 || h > 9) {\n"
      "  if (h >= 0) close_(h);\n  return;\n }\n close_(h);\n}\n";
  EXPECT_EQ(run(Closed).Result, LifetimeResult::Leaked);
  EXPECT_EQ(runWith(Closed, failing(FailureConvention::NegativeValue)).Result,
            LifetimeResult::Released);
}

//===-- Edge feasibility: stable conditions (path-dependent guards) ----===//

Config stable(const char *Call = nullptr) {
  Config S;
  S.Stable = true;
  S.AcquireCall = Call;
  return S;
}

TEST(LifetimeEngineGuards, SameConditionTwiceIsOnePath) {
  std::string Code = "void f(bool x) {\n Handle h;\n if (x)\n  release(h);\n"
                     " cond();\n if (!x)\n  release(h);\n}\n";
  EXPECT_EQ(run(Code).Result, LifetimeResult::Leaked); // x false, then !x false
  EXPECT_EQ(runWith(Code, stable()).Result, LifetimeResult::Released);
  // A condition the model does not call stable is not remembered.
  std::string Calls = "void f() {\n Handle h;\n if (cond())\n  release(h);\n"
                      " if (!cond())\n  release(h);\n}\n";
  EXPECT_EQ(runWith(Calls, stable()).Result, LifetimeResult::Leaked);
}

TEST(LifetimeEngineGuards, GuardAroundTheAcquisition) {
  // Acquired only when x: the later `if (x)` cannot take its false edge.
  std::string Code = "void f(bool x) {\n Handle h;\n if (x)\n  create(&h);\n"
                     " cond();\n if (x)\n  release(h);\n}\n";
  EXPECT_EQ(runWith(Code, failing(FailureConvention::None, "create")).Result,
            LifetimeResult::Leaked);
  EXPECT_EQ(runWith(Code, stable("create")).Result, LifetimeResult::Released);
  // The else branch of the guard: x is known false.
  std::string Else = "void f(bool x) {\n Handle h;\n if (x)\n  cond();\n"
                     " else\n  create(&h);\n if (!x)\n  release(h);\n}\n";
  EXPECT_EQ(runWith(Else, stable("create")).Result, LifetimeResult::Released);
}

TEST(LifetimeEngineGuards, NextFeasiblePathIsFound) {
  // The shortest leaking path (the second `if`'s false edge) contradicts the
  // guard; the longer one through the early return is feasible and leaks.
  // (Pruning after the search, as before, went silent here.)
  std::string Code = "void f(bool x) {\n Handle h;\n if (x)\n  create(&h);\n"
                     " if (x) {\n  if (cond())\n   return;\n  release(h);\n"
                     " }\n}\n";
  Outcome Plain = runWith(Code, failing(FailureConvention::None, "create"));
  ASSERT_EQ(Plain.Result, LifetimeResult::Leaked);
  EXPECT_FALSE(hasStep(Plain, PathStep::Return)); // the infeasible one
  Outcome O = runWith(Code, stable("create"));
  ASSERT_EQ(O.Result, LifetimeResult::Leaked);
  auto It = std::find(O.Steps.begin(), O.Steps.end(), PathStep::Return);
  ASSERT_NE(It, O.Steps.end());
  EXPECT_EQ(O.Lines[It - O.Steps.begin()], 7u);
}

TEST(LifetimeEngineGuards, UnsureEdgeGivesUpUnlessACertainPathLeaks) {
  EXPECT_EQ(run("void f() {\n Handle h;\n if (unsure())\n  return;\n"
                " release(h);\n}\n")
                .Result,
            LifetimeResult::GaveUp);
  // Both edges of the unsure() branch are Unsure (as for a test the model
  // cannot read): a path that avoids the branch and leaks is still found,
  // even when the unsure leak is met first.
  Outcome O = run("void f() {\n Handle h;\n if (cond()) {\n  if (unsure())\n"
                  "   return;\n  release(h);\n } else {\n  if (cond())\n"
                  "   cond();\n  if (cond())\n   return;\n  release(h);\n"
                  " }\n}\n");
  ASSERT_EQ(O.Result, LifetimeResult::Leaked);
  auto It = std::find(O.Steps.begin(), O.Steps.end(), PathStep::Return);
  ASSERT_NE(It, O.Steps.end());
  EXPECT_EQ(O.Lines[It - O.Steps.begin()], 11u);
  // No leak at all: Released, the Unsure edge does not matter.
  EXPECT_EQ(run("void f() {\n Handle h;\n if (unsure())\n  cond();\n"
                " release(h);\n}\n")
                .Result,
            LifetimeResult::Released);
}

//===-- Adoption --------------------------------------------------------===//

Config adopting() {
  Config S;
  S.Adopt = true;
  return S;
}

TEST(LifetimeEngineAdoption, OwnerReleasesAtItsScopeEnd) {
  std::string Code = "void f() {\n Handle h;\n Owner g(h);\n if (cond())\n"
                     "  return;\n cond();\n}\n";
  EXPECT_EQ(run(Code).Result, LifetimeResult::Leaked);
  EXPECT_EQ(runWith(Code, adopting()).Result, LifetimeResult::Released);
  // The owner's scope ends first: released there, the later code is fine.
  EXPECT_EQ(runWith("void f() {\n Handle h;\n {\n  Owner g(h);\n  cond();\n"
                    " }\n cond();\n}\n",
                    adopting())
                .Result,
            LifetimeResult::Released);
  // Exceptions unwind through the owner's destructor.
  EXPECT_EQ(runWith("void f() {\n Handle h;\n Owner g(h);\n if (cond())\n"
                    "  throw Error();\n}\n",
                    adopting())
                .Result,
            LifetimeResult::Released);
}

TEST(LifetimeEngineAdoption, PathBeforeTheAdoptionStillLeaks) {
  Outcome O = runWith("void f() {\n Handle h;\n if (cond())\n  return;\n"
                      " Owner g(h);\n}\n",
                      adopting());
  ASSERT_EQ(O.Result, LifetimeResult::Leaked);
  EXPECT_TRUE(hasStep(O, PathStep::Return));
}

TEST(LifetimeEngineAdoption, DisownedResourceIsHeldAgain) {
  Outcome O = runWith("void f() {\n Handle h;\n Owner g(h);\n g.dismiss();\n"
                      " cond();\n}\n",
                      adopting());
  ASSERT_EQ(O.Result, LifetimeResult::Leaked);
  EXPECT_EQ(O.Steps.back(), PathStep::ScopeEnd);
  EXPECT_EQ(runWith("void f() {\n Handle h;\n Owner g(h);\n g.dismiss();\n"
                    " release(h);\n}\n",
                    adopting())
                .Result,
            LifetimeResult::Released);
}

TEST(LifetimeEngineAdoption, StaticOwnerIsAHandOff) {
  // Not a local with automatic storage: the engine does not follow it.
  EXPECT_EQ(
      runWith("void f() {\n Handle h;\n static Owner g(h);\n}\n", adopting())
          .Result,
      LifetimeResult::Released);
}

//===-- Releasing every instance ---------------------------------------===//

TEST(LifetimeEngineReleaseAll, ReleasesAllIsARelease) {
  EXPECT_EQ(run("void f() {\n Handle h;\n release_all();\n}\n").Result,
            LifetimeResult::Released);
}

/// releasedBeforeEveryPath for the first call to refill() in `f`.
ReleasedBefore releasedBefore(const std::string &Body) {
  std::string Code = std::string(Prelude) + Body;
  std::unique_ptr<ASTUnit> AST =
      tooling::buildASTFromCodeWithArgs(Code, {"-std=c++17"}, "input.cpp");
  if (!AST)
    return ReleasedBefore::GaveUp;
  ASTContext &Ctx = AST->getASTContext();
  auto Fns = match(functionDecl(hasName("f"), isDefinition()).bind("f"), Ctx);
  if (Fns.empty())
    return ReleasedBefore::GaveUp;
  const auto *F = Fns[0].getNodeAs<FunctionDecl>("f");
  auto Calls =
      match(functionDecl(hasDescendant(
                callExpr(callee(functionDecl(hasName("refill")))).bind("c"))),
            *F, Ctx);
  std::unique_ptr<FunctionCFG> CFG = FunctionCFG::build(F, F->getBody(), Ctx);
  if (Calls.empty() || !CFG)
    return ReleasedBefore::GaveUp;
  Config Opts;
  TestModel M(nullptr, CFG->parents(), Opts);
  return releasedBeforeEveryPath(*CFG, Calls[0].getNodeAs<CallExpr>("c"), M);
}

TEST(LifetimeEngineReleaseAll, EmptiedBeforeTheRefillLoop) {
  EXPECT_EQ(releasedBefore("void f(int n) {\n release_all();\n"
                           " for (int i = 0; i < n; ++i)\n  refill();\n}\n"),
            ReleasedBefore::Always);
  EXPECT_EQ(releasedBefore("void f(int n) {\n if (cond())\n  release_all();\n"
                           " for (int i = 0; i < n; ++i)\n  refill();\n}\n"),
            ReleasedBefore::NotAlways);
  EXPECT_EQ(releasedBefore("void f(int n) {\n for (int i = 0; i < n; ++i)\n"
                           "  refill();\n release_all();\n}\n"),
            ReleasedBefore::NotAlways);
  // An outer loop that empties before every refill.
  EXPECT_EQ(releasedBefore("void f(int n) {\n while (cond()) {\n"
                           "  release_all();\n  for (int i = 0; i < n; ++i)\n"
                           "   refill();\n }\n}\n"),
            ReleasedBefore::Always);
}

//===-- Held when the function starts (reachedWhileHeld) ---------------===//

/// reachedWhileHeld for the first call to refill() in `f`, with `h` (a
/// parameter) the resource held at entry.
Outcome heldAtEntry(const std::string &Body, bool ToEnd = false) {
  Outcome O;
  std::string Code = std::string(Prelude) + Body;
  std::unique_ptr<ASTUnit> AST =
      tooling::buildASTFromCodeWithArgs(Code, {"-std=c++17"}, "input.cpp");
  if (!AST)
    return O;
  ASTContext &Ctx = AST->getASTContext();
  auto Fns = match(functionDecl(hasName("f"), isDefinition()).bind("f"), Ctx);
  if (Fns.empty())
    return O;
  const auto *F = Fns[0].getNodeAs<FunctionDecl>("f");
  auto Calls =
      match(functionDecl(hasDescendant(
                callExpr(callee(functionDecl(hasName("refill")))).bind("c"))),
            *F, Ctx);
  std::unique_ptr<FunctionCFG> CFG = FunctionCFG::build(F, F->getBody(), Ctx);
  if ((Calls.empty() && !ToEnd) || !CFG || F->getNumParams() == 0)
    return O;
  Config Opts;
  TestModel M(F->getParamDecl(0), CFG->parents(), Opts);
  LifetimeResult R =
      ToEnd ? heldAtFunctionEnd(*CFG, M)
            : reachedWhileHeld(*CFG, Calls[0].getNodeAs<CallExpr>("c"), M);
  O.Result = R.K;
  if (R.Path)
    record(*R.Path, Ctx.getSourceManager(), O);
  return O;
}

TEST(LifetimeEngineHeldAtEntry, PathToTheTargetWithoutARelease) {
  Outcome O = heldAtEntry("void f(Handle &h, bool b) {\n if (b)\n"
                          "  release(h);\n refill();\n}\n");
  ASSERT_EQ(O.Result, LifetimeResult::Leaked);
  EXPECT_EQ(O.Kind, "reacquire");
  // No acquisition step: a branch (the false edge), then the target.
  ASSERT_EQ(O.Steps.size(), 2u);
  EXPECT_EQ(O.Steps[0], PathStep::Branch);
  EXPECT_EQ(O.Steps[1], PathStep::Reacquire);
  EXPECT_EQ(O.Lines[1], 4u);
}

TEST(LifetimeEngineHeldAtEntry, ReleasedOnEveryPath) {
  EXPECT_EQ(
      heldAtEntry("void f(Handle &h) {\n release(h);\n refill();\n}\n").Result,
      LifetimeResult::Released);
  // The function's end is no leak: the resource stays held by its owner.
  EXPECT_EQ(heldAtEntry("void f(Handle &h, bool b) {\n if (b)\n  return;\n"
                        " release(h);\n refill();\n}\n")
                .Result,
            LifetimeResult::Released);
  // An early exit: refill() is never reached unreleased.
  EXPECT_EQ(heldAtEntry("void f(Handle &h, bool b) {\n if (!b) {\n"
                        "  release(h);\n  refill();\n }\n}\n")
                .Result,
            LifetimeResult::Released);
}

TEST(LifetimeEngineHeldAtEntry, UnsureEdgesGiveUp) {
  EXPECT_EQ(heldAtEntry("void f(Handle &h) {\n if (unsure())\n  return;\n"
                        " refill();\n}\n")
                .Result,
            LifetimeResult::GaveUp);
  // Another path without an unsure edge still leaks.
  EXPECT_EQ(heldAtEntry("void f(Handle &h, bool b) {\n if (b) {\n"
                        "  if (unsure())\n   return;\n }\n refill();\n}\n")
                .Result,
            LifetimeResult::Leaked);
}

//===-- Held at entry, released before the end (heldAtFunctionEnd) ----===//

TEST(LifetimeEngineHeldAtEnd, PathToTheEndWithoutARelease) {
  Outcome O = heldAtEntry(
      "void f(Handle &h, bool b) {\n if (b)\n  return;\n release(h);\n}\n",
      /*ToEnd=*/true);
  ASSERT_EQ(O.Result, LifetimeResult::Leaked);
  EXPECT_EQ(O.Kind, "exit");
  // No acquisition step: the branch, the return, the function's end.
  ASSERT_EQ(O.Steps.size(), 3u);
  EXPECT_EQ(O.Steps[0], PathStep::Branch);
  EXPECT_EQ(O.Steps[1], PathStep::Return);
  EXPECT_EQ(O.Steps[2], PathStep::FunctionEnd);
  EXPECT_EQ(O.Lines[1], 3u);
}

TEST(LifetimeEngineHeldAtEnd, ReleasedOnEveryPathOrUnsure) {
  EXPECT_EQ(heldAtEntry("void f(Handle &h, bool b) {\n if (b)\n"
                        "  release(h);\n else\n  release(h);\n}\n",
                        true)
                .Result,
            LifetimeResult::Released);
  // Only a path past an unsure edge leaks: a maybe.
  EXPECT_EQ(heldAtEntry("void f(Handle &h) {\n if (unsure())\n  return;\n"
                        " release(h);\n}\n",
                        true)
                .Result,
            LifetimeResult::GaveUp);
  // A call that never returns ends the path.
  EXPECT_EQ(heldAtEntry("void f(Handle &h) {\n die();\n release(h);\n}\n", true)
                .Result,
            LifetimeResult::Released);
}

//===-- Starting at a terminator (ChannelCounting's question) ----------===//

TEST(LifetimeEngine, StartAtABranch) {
  Config S;
  S.StartAtIf = true;
  Outcome O = runWith("void f() {\n Handle h;\n cond();\n if (cond())\n"
                      "  release(h);\n}\n",
                      S);
  ASSERT_EQ(O.Result, LifetimeResult::Leaked);
  EXPECT_TRUE(hasStep(O, PathStep::Branch));
  EXPECT_EQ(runWith("void f() {\n Handle h;\n if (cond())\n  release(h);\n"
                    " else\n  release(h);\n}\n",
                    S)
                .Result,
            LifetimeResult::Released);
  // A loop back to the start ends that path.
  EXPECT_EQ(runWith("void f() {\n Handle h;\n while (cond()) {\n"
                    "  if (cond())\n   cond();\n }\n release(h);\n}\n",
                    S)
                .Result,
            LifetimeResult::Released);
}

} // namespace
