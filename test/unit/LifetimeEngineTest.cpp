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
)cpp";

/// Releases on release(h), escapes on escape(h) and on lambda capture.
class TestModel : public ResourceModel {
public:
  TestModel(const VarDecl *V, ParentMap &PM) : V(V), PM(PM) {}
  Effect effectOf(const Stmt *S) override {
    VarUse U = classifyUse(S, V, PM);
    if (U.K == VarUse::Argument && calleeName(U.Call) == "release")
      return Releases;
    if (U.K == VarUse::Argument || U.K == VarUse::Captured ||
        U.K == VarUse::Moved)
      return Escapes;
    return NoEffect;
  }

private:
  const VarDecl *V;
  ParentMap &PM;
};

class RecordingHandler : public LifetimeHandler {
public:
  void unreleasedAtExit(const LeakPath &P) override { record("exit", P); }
  void unreleasedOnException(const LeakPath &P) override {
    record("exception", P);
  }
  void reacquiredWhileHeld(const LeakPath &P) override {
    record("reacquire", P);
  }
  std::string Kind;
  std::vector<PathStep::Kind> Steps;
  std::vector<unsigned> Lines;
  const SourceManager *SM = nullptr;

private:
  void record(const char *K, const LeakPath &P) {
    Kind = K;
    for (const PathStep &S : P.Steps) {
      Steps.push_back(S.K);
      Lines.push_back(S.Loc.isValid() ? SM->getSpellingLineNumber(S.Loc) : 0);
    }
  }
};

struct Outcome {
  LifetimeResult Result = LifetimeResult::GaveUp;
  std::string Kind;
  std::vector<PathStep::Kind> Steps;
  std::vector<unsigned> Lines; // relative to the test body's first line
};

/// Runs the engine on function `f` in \p Body, for the local `h`.
Outcome run(const std::string &Body, bool Exceptions = false,
            unsigned MaxVisits = 200000, bool EscapingTerminates = false) {
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
  Q.Holder = H;
  Q.AnalyzeExceptionPaths = Exceptions;
  Q.EscapingExceptionsTerminate = EscapingTerminates;
  Q.MaxVisits = MaxVisits;
  TestModel M(H, CFG->parents());
  RecordingHandler R;
  R.SM = &Ctx.getSourceManager();
  Out.Result = analyzeLifetime(*CFG, Q, M, R);
  Out.Kind = R.Kind;
  Out.Steps = R.Steps;
  unsigned PreludeLines = 8; // lines before the test body
  for (unsigned L : R.Lines)
    Out.Lines.push_back(L > PreludeLines ? L - PreludeLines : 0);
  return Out;
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

} // namespace
