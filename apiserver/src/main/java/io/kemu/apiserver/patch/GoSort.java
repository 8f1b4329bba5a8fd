package io.kemu.apiserver.patch;

import java.util.Collections;
import java.util.List;

/**
 * Go's {@code sort.SliceStable}: insertion sort on blocks of 20, then SymMerge. strategicpatch sorts with a
 * "less" that is not a strict weak order (an item missing from the order list is "less" than anything), so
 * only the very same algorithm gives the very same result in those cases.
 */
final class GoSort {
  private GoSort() {}

  @FunctionalInterface
  interface Less {
    boolean less(int i, int j);
  }

  static void sliceStable(List<?> data, Less less) {
    new Sorter(data, less).stable(data.size());
  }

  private record Sorter(List<?> data, Less less) {
    void swap(int i, int j) {
      Collections.swap(data, i, j);
    }

    void stable(int n) {
      int blockSize = 20;
      int a = 0;
      int b = blockSize;
      while (b <= n) {
        insertionSort(a, b);
        a = b;
        b += blockSize;
      }
      insertionSort(a, n);
      while (blockSize < n) {
        a = 0;
        b = 2 * blockSize;
        while (b <= n) {
          symMerge(a, a + blockSize, b);
          a = b;
          b += 2 * blockSize;
        }
        int m = a + blockSize;
        if (m < n) {
          symMerge(a, m, n);
        }
        blockSize *= 2;
      }
    }

    void insertionSort(int a, int b) {
      for (int i = a + 1; i < b; i++) {
        for (int j = i; j > a && less.less(j, j - 1); j--) {
          swap(j, j - 1);
        }
      }
    }

    void symMerge(int a, int m, int b) {
      if (m - a == 1) {
        // insert data[a] into data[m:b] at the lowest i with data[i] >= data[a]
        int i = m;
        int j = b;
        while (i < j) {
          int h = (i + j) >>> 1;
          if (less.less(h, a)) {
            i = h + 1;
          } else {
            j = h;
          }
        }
        for (int k = a; k < i - 1; k++) {
          swap(k, k + 1);
        }
        return;
      }
      if (b - m == 1) {
        // insert data[m] into data[a:m] at the lowest i with data[i] > data[m]
        int i = a;
        int j = m;
        while (i < j) {
          int h = (i + j) >>> 1;
          if (!less.less(m, h)) {
            i = h + 1;
          } else {
            j = h;
          }
        }
        for (int k = m; k > i; k--) {
          swap(k, k - 1);
        }
        return;
      }
      int mid = (a + b) >>> 1;
      int n = mid + m;
      int start;
      int r;
      if (m > mid) {
        start = n - b;
        r = mid;
      } else {
        start = a;
        r = m;
      }
      int p = n - 1;
      while (start < r) {
        int c = (start + r) >>> 1;
        if (!less.less(p - c, c)) {
          start = c + 1;
        } else {
          r = c;
        }
      }
      int end = n - start;
      if (start < m && m < end) {
        rotate(start, m, end);
      }
      if (a < start && start < mid) {
        symMerge(a, start, mid);
      }
      if (mid < end && end < b) {
        symMerge(mid, end, b);
      }
    }

    void rotate(int a, int m, int b) {
      int i = m - a;
      int j = b - m;
      while (i != j) {
        if (i > j) {
          swapRange(m - i, m, j);
          i -= j;
        } else {
          swapRange(m - i, m + j - i, i);
          j -= i;
        }
      }
      swapRange(m - i, m, i);
    }

    void swapRange(int a, int b, int n) {
      for (int i = 0; i < n; i++) {
        swap(a + i, b + i);
      }
    }
  }
}
