// Every lib/ header in one translation unit: names must not clash (the
// headers share the namespace clang::leak).
#include "lib/ChannelCounting.h"
#include "lib/ChannelModel.h"
#include "lib/ContainerModel.h"
#include "lib/ContainerUseIndex.h"
#include "lib/FunctionCFG.h"
#include "lib/LifetimeEngine.h"
#include "lib/LoopFacts.h"
#include "lib/NameMatcher.h"
#include "lib/SliceModel.h"
#include "lib/StorageFacts.h"
#include "lib/ThreadFacts.h"
#include "lib/ThreadModel.h"
#include "lib/TimerFacts.h"
#include "lib/TimerModel.h"
#include "lib/VarUses.h"
#include "gtest/gtest.h"
TEST(AllHeaders, CompileTogether) { SUCCEED(); }
