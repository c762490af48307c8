//===--- TimerCheck.cpp - leak-tidy ---------------------------------------===//
#include "checks/TimerCheck.h"

using namespace clang::leaklib;

namespace clang::tidy::leak {

TimerCheck::TimerCheck(StringRef Name, ClangTidyContext *Context)
    : LeakCheck(Name, Context) {
  readFamilyWideOptions("leak.");
}

TimerOptions TimerCheck::readTimerOptions(Reads What) {
  TimerOptions D = TimerOptions::defaults();
  TimerOptions O = D;
  O.TimerTypes = nameListOption("TimerTypes", joinList(D.TimerTypes));
  O.CreateFunctions =
      nameListOption("TimerCreateFunctions", joinList(D.CreateFunctions));
  O.PeriodicArmFunctions =
      nameListOption("PeriodicArmFunctions", joinList(D.PeriodicArmFunctions));
  O.StopFunctions =
      nameListOption("TimerStopFunctions", joinList(D.StopFunctions));
  O.IdFunctions = listOption("TimerIdFunctions", "", validateIdFunctionPair);
  O.PeriodicIdFunctions =
      listOption("PeriodicTimerIdFunctions", "", validateIdFunctionPair);
  O.IgnoreParentedQTimer =
      boolOption("IgnoreParentedQTimer", D.IgnoreParentedQTimer);
  if (What == Reads::PileUp) {
    O.MaxConstantTripCount = unsignedOption("MaxConstantTripCount",
                                            D.MaxConstantTripCount, 0, 1000000);
    O.MinDelayMs = unsignedOption("MinDelayMs", D.MinDelayMs, 0, 86400000);
  } else {
    O.WaitFunctions =
        nameListOption("WaitFunctions", joinList(D.WaitFunctions));
    O.StopMethods =
        identifierListOption("StopMethods", joinList(D.StopMethods));
  }
  return O;
}

} // namespace clang::tidy::leak
