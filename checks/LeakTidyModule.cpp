//===--- LeakTidyModule.cpp - leak-tidy ----------------------------------===//
//
// The `leak` clang-tidy module: registers every leak-tidy check under its
// fixed name. Linked into the plugin (LeakTidy.so) and any other front end.
//
//===----------------------------------------------------------------------===//
#include "checks/ChannelWithoutReaderCheck.h"
#include "checks/RetainedSliceCheck.h"
#include "checks/TimerInLoopCheck.h"
#include "checks/UnboundedGlobalCacheCheck.h"
#include "checks/UnjoinedThreadCheck.h"
#include "checks/UnstoppedTickerCheck.h"
#include "clang-tidy/ClangTidyModule.h"

namespace clang::tidy::leak {

class LeakModule : public ClangTidyModule {
public:
  void addCheckFactories(ClangTidyCheckFactories &Factories) override {
    Factories.registerCheck<ChannelWithoutReaderCheck>(
        "leak-channel-without-reader");
    Factories.registerCheck<RetainedSliceCheck>("leak-retained-slice");
    Factories.registerCheck<TimerInLoopCheck>("leak-timer-in-loop");
    Factories.registerCheck<UnboundedGlobalCacheCheck>(
        "leak-unbounded-global-cache");
    Factories.registerCheck<UnjoinedThreadCheck>("leak-unjoined-thread");
    Factories.registerCheck<UnstoppedTickerCheck>("leak-unstopped-ticker");
  }
};

} // namespace clang::tidy::leak

namespace clang::tidy {

// Register the module with clang-tidy's registry.
static ClangTidyModuleRegistry::Add<leak::LeakModule>
    X("leak-module", "Checks that find leak patterns: timers, tickers, "
                     "caches, threads, slices and channels.");

// Referenced by front ends that link the module statically (leak-clangd) so
// that the linker keeps this translation unit.
volatile int LeakModuleAnchorSource = 0;

} // namespace clang::tidy
