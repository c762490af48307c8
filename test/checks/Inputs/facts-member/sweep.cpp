#include "mgr.h"

// The other TU trims the member: Watched is bounded by the live monitors.
void Manager::sweep() {
  for (std::size_t I = 0; I < Watched.size(); ++I)
    if (Watched[I]->Fd < 0)
      Watched.erase(Watched.begin() + I--);
}
