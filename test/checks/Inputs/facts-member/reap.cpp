#include "pool.h"

void Pool::reap() {
  for (std::size_t I = 0; I < Live.size(); ++I)
    if (Live[I]->Fd < 0)
      Live.erase(Live.begin() + I--);
}
