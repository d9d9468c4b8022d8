/* Seed 000, "Datagram Socket demo" (client) over UDP: send one datagram, print the answer and who
 * sent it. The twin of examples/udp-client.ts.
 * Usage: udp_client <port> [address=127.0.0.1] [message] */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char *argv[]) {
  int port = argc > 1 ? atoi(argv[1]) : 2021;
  const char *address = argc > 2 ? argv[2] : "127.0.0.1";
  const char *message = argc > 3 ? argv[3] : "Hello from the client";
  int sockfd = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (inet_pton(AF_INET, address, &addr.sin_addr) != 1) {
    fprintf(stderr, "not an IPv4 address: %s\n", address);
    return 1;
  }
  if (sendto(sockfd, message, strlen(message), 0, (struct sockaddr *)&addr, sizeof addr) < 0) {
    perror("sendto");
    return 1;
  }
  char buf[1025], text[INET_ADDRSTRLEN];
  struct sockaddr_in src;
  socklen_t len = sizeof src;
  ssize_t n = recvfrom(sockfd, buf, 1024, 0, (struct sockaddr *)&src, &len);
  buf[n > 0 ? n : 0] = '\0';
  inet_ntop(AF_INET, &src.sin_addr, text, sizeof text);
  printf("Received: %s from %s:%d\n", buf, text, ntohs(src.sin_port));
  close(sockfd);
  return 0;
}
