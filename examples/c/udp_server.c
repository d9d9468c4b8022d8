/* Seed 000, "Datagram Socket demo" (server) over UDP: bind, then answer each datagram to the
 * address recvfrom reports. The twin of examples/udp-server.ts.
 * Usage: udp_server [port=0] [address=127.0.0.1] [messages=1] */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void print_name(const struct sockaddr_in *a) {
  char text[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &a->sin_addr, text, sizeof text);
  printf("%s:%d", text, ntohs(a->sin_port));
}

int main(int argc, char *argv[]) {
  int port = argc > 1 ? atoi(argv[1]) : 0;
  const char *address = argc > 2 ? argv[2] : "127.0.0.1";
  int messages = argc > 3 ? atoi(argv[3]) : 1;
  int sockfd = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (inet_pton(AF_INET, address, &addr.sin_addr) != 1 || bind(sockfd, (struct sockaddr *)&addr, sizeof addr) < 0) {
    perror("bind");
    return 1;
  }
  socklen_t len = sizeof addr;
  getsockname(sockfd, (struct sockaddr *)&addr, &len);
  printf("UDP server on ");
  print_name(&addr);
  printf("\n");
  fflush(stdout);
  char buf[1025], reply[1100];
  for (int i = 0; messages == 0 || i < messages; i++) {
    struct sockaddr_in src;
    len = sizeof src;
    ssize_t n = recvfrom(sockfd, buf, 1024, 0, (struct sockaddr *)&src, &len);
    if (n < 0) continue;
    buf[n] = '\0';
    printf("Received: %s from ", buf);
    print_name(&src);
    printf("\n");
    fflush(stdout);
    int m = snprintf(reply, sizeof reply, "Echo: %s", buf);
    sendto(sockfd, reply, m, 0, (struct sockaddr *)&src, len);
  }
  close(sockfd);
  return 0;
}
